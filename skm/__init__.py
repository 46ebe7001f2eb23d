"""SKM: Survei Kepuasan Masyarakat for Indonesian public-service offices."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from skm import database, errors, headers, limits, proxies
from skm.config import load_settings, resolve_timezone
from skm.extensions import SessionInterface, csrf, login_manager

#: The one place the version is written: setup.cfg reads it (``attr:``), and
#: ``skm --version`` and the page footers show it.
__version__ = "0.1.0"

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

    from skm import filters
    from skm.admin import bp as admin_bp
    from skm.api import bp as api_bp
    from skm.auth import bp as auth_bp
    from skm.cli import register_commands
    from skm.iku.routes import bp as iku_bp
    from skm.kiosk import admin_bp as kiosk_admin_bp
    from skm.kiosk import bp as kiosk_bp
    from skm.paper.routes import bp as paper_bp
    from skm.public import bp as public_bp
    from skm.reports.routes import bp as reports_bp
    from skm.staff import bp as staff_bp

    filters.register(app)
    register_commands(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(paper_bp)
    app.register_blueprint(iku_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(kiosk_admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(reports_bp)
    return app


def office_timezone() -> ZoneInfo:
    """The office's time zone (setting ``SKM_TIMEZONE``), in which periodes are cut."""
    return resolve_timezone(current_app.config["SKM_TIMEZONE"])
