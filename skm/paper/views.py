"""The paper blueprint and what its views share: the unit in the URL, the units a user may pick."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy.orm import Session

from skm.auth.access import require_unit_access
from skm.models import Unit

bp = Blueprint("paper", __name__, url_prefix="/staf")


def unit_from_slug(session: Session, slug: str) -> Unit:
    """The unit of the URL; 404 when unknown or outside the user's units."""
    unit = session.scalar(sa.select(Unit).where(Unit.slug == slug))
    if unit is None:
        abort(404)
    require_unit_access(unit)
    return unit


def units_for_user(session: Session) -> Sequence[Unit]:
    """The signed-in user's unit and its sub-units, parents first."""
    return session.scalars(
        sa.select(Unit).where(Unit.path.startswith(current_user.unit.path)).order_by(Unit.path)
    ).all()
