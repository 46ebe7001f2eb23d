"""Where the folders SKM needs at run time are, in a checkout and when installed."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


def resource_path(name: str) -> Path:
    """A folder the application needs at run time: ``templates``, ``static`` or ``data``.

    The folders stay at the top level of the repository, the layout the project
    is known by; the build maps them into the package (setup.py), so an
    installed wheel has them as ``skm/templates`` and so on. A checkout (or an
    editable install) has them beside the package.
    """
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name
