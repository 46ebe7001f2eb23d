"""Which files the wheel and the sdist carry; everything else is in setup.cfg.

templates/, static/ and data/ stay at the top level of the repository (the
layout the project is known by) and are mapped into the package here, so an
installed SKM finds them as skm/templates, skm/static and skm/data
(skm.resource_path). Without this mapping a wheel holds no page to render.
"""

from pathlib import Path

from setuptools import find_packages, setup

RESOURCES = {"skm.templates": "templates", "skm.static": "static", "skm.data": "data"}


def resource_packages() -> list[str]:
    """Every folder below a resource folder, named as a package so setuptools
    copies its files (setuptools knows no "data folder", only packages)."""
    names = []
    for package, folder in RESOURCES.items():
        root = Path(__file__).parent / folder
        folders = sorted(p for p in root.rglob("*") if p.is_dir() and p.name != "__pycache__")
        for sub in [root, *folders]:
            names.append(".".join([package, *sub.relative_to(root).parts]))
    return names


PACKAGES = resource_packages()

setup(
    packages=find_packages(include=["skm", "skm.*", "scoring", "scoring.*", "questionnaires"])
    + PACKAGES,
    package_dir=RESOURCES,
    package_data={name: ["*"] for name in PACKAGES},
    include_package_data=True,
)
