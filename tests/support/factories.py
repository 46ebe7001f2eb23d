"""Staff accounts, units and a demo office for tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from tests.support.auth import STAFF_PASSWORD

#: The day the demo offices of the page tests are built for.
DEMO_DAY = date(2026, 11, 23)


def add_staff(session: Session, username: str, role: str, unit: Any, **fields: Any):
    """A staff account without a usable password, flushed (not committed).

    For tests that sign staff in through the session (``login``): a real
    password hash (scrypt, deliberately slow) would only cost time.
    """
    from skm.models import User

    user = User(username=username, role=role, unit=unit, password_hash="-", **fields)
    session.add(user)
    session.flush()
    return user


def user_factory(app: Flask) -> Callable[..., Any]:
    """``factory(unit, role="operator", username=None, **fields)``: a committed staff
    account, detached, whose password is STAFF_PASSWORD (hashed cheaply: tests
    sign in often). Behind the ``make_user`` fixture."""
    from werkzeug.security import generate_password_hash

    from skm import database
    from skm.models import User

    counter = iter(range(1, 10_000))

    def factory(unit, role: str = "operator", username: str | None = None, **fields):
        with app.app_context():
            db = database.session()
            user = User(
                username=username or f"{role}{next(counter)}",
                full_name=fields.pop("full_name", f"Petugas {role}"),
                role=role,
                unit_id=unit.id,
                password_hash=generate_password_hash(STAFF_PASSWORD, "pbkdf2:sha256:1000"),
                **fields,
            )
            db.add(user)
            db.commit()
            db.refresh(user)
            db.expunge(user)
            return user

    return factory


def saved_unit(app: Flask, name: str, kind: str = "kecamatan"):
    """A committed unit, detached (usable after the app context ends)."""
    from skm import database
    from skm.units import create_unit

    with app.app_context():
        session = database.session()
        unit = create_unit(session, name, kind)
        session.commit()
        session.expunge(unit)
    return unit


def demo_office(session: Session, responses: int, today: date = DEMO_DAY):
    """The demo kecamatan with ``responses`` responses on the default questionnaire of
    the tests (permenpan-14-2017); the summary ``build_demo`` returns. Not committed."""
    from questionnaires import get_instrument
    from skm.config import office_timezone
    from skm.demo import build_demo

    return build_demo(
        session,
        get_instrument("permenpan-14-2017"),
        office_timezone(),
        responses=responses,
        today=today,
    )
