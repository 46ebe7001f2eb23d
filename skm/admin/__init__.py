"""Admin pages: units, layanan, users, API tokens and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_login import current_user

from skm.auth.access import is_admin
from skm.extensions import login_manager

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> Any:
    """Every admin page needs a signed-in admin, whatever the view says."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_admin(current_user):
        abort(403)
    return None


from skm.admin import routes  # noqa: E402,F401
