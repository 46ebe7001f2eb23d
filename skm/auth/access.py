"""Who may see what: roles and unit scope.

Every staff member belongs to one unit and sees that unit and its
sub-units (a kabupaten admin sees every kecamatan; a kecamatan operator
only theirs).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from skm.models import Unit, User

F = TypeVar("F", bound=Callable[..., Any])

#: What each role may do; admin may do everything.
ROLE_RANKS = {"pimpinan": 0, "operator": 1, "admin": 2}


def can_access_unit(user: User, unit: Unit) -> bool:
    """True when ``unit`` is the user's unit or one of its sub-units."""
    return unit.path.startswith(user.unit.path)


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


def require_unit_access(unit: Unit) -> None:
    """Abort with 403 when the signed-in user may not see ``unit``."""
    if not can_access_unit(current_user, unit):
        abort(403)
