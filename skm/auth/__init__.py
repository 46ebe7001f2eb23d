"""Sign-in and roles, and unit scoping of staff."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from skm.extensions import login_manager

bp = Blueprint("auth", __name__)


def _setup(state: BlueprintSetupState) -> None:
    # Staff pages send a visitor who is not signed in to the sign-in page.
    login_manager.login_view = "auth.login"
    for name, value in throttle.DEFAULTS.items():
        state.app.config.setdefault(name, value)


bp.record_once(_setup)

from skm.auth import routes, throttle  # noqa: E402,F401
