"""SKM: Survei Kepuasan Masyarakat for Indonesian public-service offices."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from skm import database, limits
from skm.config import load_settings, resolve_timezone
from skm.extensions import SessionInterface, csrf, login_manager

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration and wiring only."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    if config and config.get("INSTANCE_PATH"):
        app.instance_path = str(config["INSTANCE_PATH"])
    app.config.update(load_settings(Path(app.instance_path), config))
    app.config.from_pyfile("config.py", silent=True)

    app.session_interface = SessionInterface()
    limits.init_app(app)  # before CSRF and the blueprints: it checks bodies first, defines <int:>
    database.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)

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
