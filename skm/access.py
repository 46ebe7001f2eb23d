"""Who may see what: roles and unit scope.

Every staff member belongs to one unit and sees that unit and its
sub-units (a kabupaten admin sees every kecamatan; a kecamatan operator
only theirs). Roles:

* ``admin``: everything in their subtree, including units, layanan,
  users, kiosks, API tokens and (later) IKU targets;
* ``operator``: data entry and follow-up (population, saran, rencana
  tindak lanjut) for their subtree;
* ``pimpinan``: reads everything in their subtree, changes nothing.

An object outside the user's subtree answers 404, exactly like an object
that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from skm import database
from skm.models import Unit, User
from skm.units import in_subtree, subtree_condition

F = TypeVar("F", bound=Callable[..., Any])

#: What each role may do; admin may do everything.
ROLE_RANKS = {"pimpinan": 0, "operator": 1, "admin": 2}

ROLE_LABELS = {"admin": "Admin", "operator": "Operator", "pimpinan": "Pimpinan"}

ROLE_DESCRIPTIONS = {
    "admin": "mengelola unit, layanan, pengguna, kios dan token API, serta semua tugas operator",
    "operator": "mencatat populasi, menindaklanjuti saran dan menyusun rencana tindak lanjut",
    "pimpinan": "melihat dasbor, saran dan rencana tindak lanjut tanpa mengubah apa pun",
}

#: Requests that change nothing; every other method is a change.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def can_access_unit(user: User, unit: Unit) -> bool:
    """True when ``unit`` is the user's unit or one of its sub-units."""
    return in_subtree(unit, user.unit)


def can_write(user: User) -> bool:
    """Operators and admins change data; pimpinan only read."""
    return ROLE_RANKS.get(user.role, -1) >= ROLE_RANKS["operator"]


def is_admin(user: User) -> bool:
    return user.role == "admin"


def require_role(*roles: str) -> Callable[[F], F]:
    """Sign-in required, and one of ``roles`` (admin always passes)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role != "admin" and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


#: Any signed-in staff member.
staff_required = require_role("pimpinan", "operator")
#: Operators and admins: pages and actions that change data.
writer_required = require_role("operator")
#: Admins only.
admin_required = require_role()


def require_unit_access(unit: Unit) -> None:
    """Abort with 404 when the signed-in user may not see ``unit``: a unit
    outside the user's subtree looks exactly like one that does not exist."""
    if not can_access_unit(current_user, unit):
        abort(404)


def units_in_scope(session: Session, user: User) -> Sequence[Unit]:
    """The user's unit and all its sub-units, parents before children."""
    return session.scalars(
        sa.select(Unit).where(subtree_condition(user.unit)).order_by(Unit.path)
    ).all()


def unit_or_404(
    session: Session, user: User, *, slug: str | None = None, unit_id: int | None = None
) -> Unit:
    """The unit named by ``slug`` or ``unit_id`` if the user may see it; else 404."""
    if slug is not None:
        unit = session.scalar(sa.select(Unit).where(Unit.slug == slug))
    else:
        unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None or not can_access_unit(user, unit):
        abort(404)
    return unit


def unit_by_slug(slug: str) -> Unit:
    """The unit a staff URL names, for the signed-in user; else 404.

    An unknown slug and a unit outside the user's subtree get the same 404,
    so the slugs of other offices cannot be probed.
    """
    return unit_or_404(database.session(), current_user, slug=slug)
