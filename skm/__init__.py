"""SKM: Survei Kepuasan Masyarakat for Indonesian public-service offices.

The application factory wires the layers together (see docs/architecture.md):
the infrastructure every request passes through, then each feature's
``init_app``, which registers its blueprint, its commands and its settings.
Features never import each other; what two of them share lives in the shared
modules below them (tests/test_layers.py keeps it so).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from skm import (
    admin,
    api,
    auth,
    cli,
    database,
    errors,
    filters,
    headers,
    iku,
    kiosk,
    limits,
    paper,
    proxies,
    public,
    reports,
    staff,
)
from skm.config import load_settings
from skm.demo.cli import demo_command
from skm.extensions import SessionInterface, csrf, login_manager
from skm.resources import PACKAGE_DIR, PROJECT_ROOT, resource_path

#: The one place the version is written: setup.cfg reads it (``attr:``), and
#: ``skm --version`` and the page footers show it.
__version__ = "0.1.0"

__all__ = ["PACKAGE_DIR", "PROJECT_ROOT", "__version__", "create_app", "resource_path"]

#: Every feature, in the order its blueprint is registered (public pages first).
FEATURES = (public, paper, iku, auth, staff, admin, kiosk, api, reports, cli)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration and wiring only."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(resource_path("templates")),
        static_folder=str(resource_path("static")),
    )
    # An installed SKM would otherwise keep its data in <prefix>/var/skm-instance.
    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get("SKM_INSTANCE_PATH")
    if instance:
        app.instance_path = str(instance)
    app.config.update(load_settings(Path(app.instance_path), config))
    app.config.from_pyfile("config.py", silent=True)

    app.session_interface = SessionInterface()
    limits.init_app(app)  # before CSRF and the blueprints: it checks bodies first, defines <int:>
    database.init_app(app)
    errors.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    headers.init_app(app)
    proxies.init_app(app)
    filters.register(app, __version__)
    for feature in FEATURES:
        feature.init_app(app)
    # The demo fills every feature's tables, so it sits above them, with the factory.
    app.cli.add_command(demo_command)
    return app
