"""Sign-in, sign-out and the change of password."""

from flask import Flask

from skm.auth import routes, throttle
from skm.extensions import login_manager


def init_app(app: Flask) -> None:
    # Staff pages send a visitor who is not signed in to the sign-in page.
    login_manager.login_view = "auth.login"
    for name, value in throttle.DEFAULTS.items():
        app.config.setdefault(name, value)
    app.register_blueprint(routes.bp)
