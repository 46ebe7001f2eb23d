"""The staff blueprint (``/staf``) and what every staff page shares: sign-in, navigation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, current_app, g, request
from flask_login import current_user

from skm.access import ROLE_LABELS, SAFE_METHODS, can_write, is_admin
from skm.config import office_timezone
from skm.extensions import login_manager
from skm.formatting import format_date

bp = Blueprint("staff", __name__, url_prefix="/staf")


@bp.before_request
def _signed_in_staff_only() -> Any:
    """Every staff page needs sign-in; pimpinan may look but never change anything."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if request.method not in SAFE_METHODS and not can_write(current_user):
        abort(403)
    return None


@bp.app_context_processor
def _staff_navigation() -> dict[str, Any]:
    """What the staff layout's navigation needs, on every page that extends it."""
    if not current_user.is_authenticated:
        return {}
    unit = getattr(g, "staff_unit", None) or current_user.unit
    return {
        "nav_unit": unit,
        "nav_periode_args": getattr(g, "staff_periode_args", {}),
        "nav_can_write": can_write(current_user),
        "nav_is_admin": is_admin(current_user),
        "nav_role_label": ROLE_LABELS.get(current_user.role, current_user.role),
        "nav_kiosk_admin": "kiosk_admin" in current_app.blueprints,
    }


@bp.app_template_filter("waktu")
def _waktu(instant: datetime | None) -> str:
    """An instant in the office's time zone: "12 Agustus 2026, 10.15"."""
    if instant is None:
        return "–"
    local = instant.astimezone(office_timezone())
    return f"{format_date(local.date())}, {local:%H.%M}"
