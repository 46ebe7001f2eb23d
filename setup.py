"""Which files the wheel and the sdist carry; everything else is in setup.cfg.

templates/, static/ and data/ stay at the top level of the repository (the
layout the project is known by) and are mapped into the package here, so an
installed SKM finds them as skm/templates, skm/static and skm/data
(skm.resource_path). Without this mapping a wheel holds no page to render.
"""

import configparser
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
RESOURCES = {"skm.templates": "templates", "skm.static": "static", "skm.data": "data"}


def resource_packages() -> list[str]:
    """Every folder below a resource folder, named as a package so setuptools
    copies its files (setuptools knows no "data folder", only packages)."""
    names = []
    for package, folder in RESOURCES.items():
        root = HERE / folder
        folders = sorted(p for p in root.rglob("*") if p.is_dir() and p.name != "__pycache__")
        for sub in [root, *folders]:
            names.append(".".join([package, *sub.relative_to(root).parts]))
    return names


def declared_package_data() -> dict[str, list[str]]:
    """setup.cfg's [options.package_data] (questionnaires, migration template, …).

    A package_data given here replaces setup.cfg's instead of adding to it, so
    it is read and passed on: files keep being declared where they always were.
    """
    config = configparser.ConfigParser()
    config.read(HERE / "setup.cfg", encoding="utf-8")
    section = config["options.package_data"] if config.has_section("options.package_data") else {}
    return {package: [g.strip() for g in globs.split(",")] for package, globs in section.items()}


PACKAGES = resource_packages()

setup(
    packages=find_packages(include=["skm", "skm.*", "scoring", "scoring.*", "questionnaires"])
    + PACKAGES,
    package_dir=RESOURCES,
    # Only what is declared: a stale egg-info manifest cannot add or keep files.
    package_data={**declared_package_data(), **{name: ["*"] for name in PACKAGES}},
    include_package_data=False,
)
