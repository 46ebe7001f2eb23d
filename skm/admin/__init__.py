"""Admin pages: units, layanan, users, API tokens and the audit log."""

from flask import Flask

from skm.admin import routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
