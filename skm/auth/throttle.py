"""Slowing down password guessing: failed sign-ins per username and per address.

After ``SKM_LOGIN_FAILURES_PER_USER`` failures for one username (5 by
default) within ``SKM_LOGIN_WINDOW_MINUTES`` (15), that username cannot sign
in until the oldest of those failures is that old; a successful sign-in
starts the count again. Each client address may fail
``SKM_LOGIN_FAILURES_PER_ADDRESS`` times (20) in the same window, whatever
usernames it tries. While locked, the password is not even checked, so
guessing gains nothing. Attempts are kept in the database: a restart does
not lift a lockout.

Checking and recording are one step that simultaneous attempts cannot race
(:func:`begin_attempt`): each attempt is first stored, as a failure, and
committed; only then are the failures counted, those of every other attempt
stored so far included. Of any set of attempts whose passwords get checked,
the one stored last sees all the others, so at most the limit get through,
on SQLite and PostgreSQL alike. An attempt refused this way is deleted
again, so knocking on a locked account does not prolong its lockout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from skm.models.auth import LoginAttempt

DEFAULTS = {
    "SKM_LOGIN_FAILURES_PER_USER": 5,
    "SKM_LOGIN_FAILURES_PER_ADDRESS": 20,
    "SKM_LOGIN_WINDOW_MINUTES": 15,
}

#: Attempts older than this are deleted now and then.
KEEP_DAYS = 30


@dataclass(frozen=True)
class Limits:
    per_user: int
    per_address: int
    window: timedelta

    @classmethod
    def from_config(cls) -> Limits:
        config = current_app.config
        return cls(
            int(config.get("SKM_LOGIN_FAILURES_PER_USER", DEFAULTS["SKM_LOGIN_FAILURES_PER_USER"])),
            int(
                config.get(
                    "SKM_LOGIN_FAILURES_PER_ADDRESS", DEFAULTS["SKM_LOGIN_FAILURES_PER_ADDRESS"]
                )
            ),
            timedelta(
                minutes=int(
                    config.get("SKM_LOGIN_WINDOW_MINUTES", DEFAULTS["SKM_LOGIN_WINDOW_MINUTES"])
                )
            ),
        )


def normalise_username(username: str) -> str:
    return username.strip().lower()[:80]


def _wait(failures: list[datetime], limit: int, window: timedelta, now: datetime) -> timedelta:
    """How long until fewer than ``limit`` of ``failures`` (newest first) are in the window."""
    if len(failures) < limit:
        return timedelta(0)
    # Free again when the limit-th newest failure leaves the window.
    return max(failures[limit - 1] + window - now, timedelta(0))


def locked_for(
    session: Session,
    username: str,
    address: str,
    limits: Limits,
    now: datetime | None = None,
    exclude: int | None = None,
) -> timedelta:
    """How long this username or address must still wait; zero when it may try.

    ``exclude``: the id of the attempt being decided, not counted against itself.
    """
    now = now or datetime.now(UTC)
    since = now - limits.window
    last_success = session.scalar(
        sa.select(sa.func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username,
            LoginAttempt.succeeded.is_(True),
            LoginAttempt.at >= since,
        )
    )
    user_since = max(since, last_success) if last_success else since
    others = LoginAttempt.id != exclude if exclude is not None else sa.true()
    by_user = _recent_failures(
        session, sa.and_(LoginAttempt.username == username, others), user_since, limits.per_user
    )
    by_address = _recent_failures(
        session, sa.and_(LoginAttempt.address == address, others), since, limits.per_address
    )
    return max(
        _wait(by_user, limits.per_user, limits.window, now),
        _wait(by_address, limits.per_address, limits.window, now),
    )


def begin_attempt(
    session: Session, username: str, address: str, limits: Limits, now: datetime | None = None
) -> tuple[LoginAttempt | None, timedelta]:
    """Store an attempt as a failure (committed) and decide whether it may check a password.

    Returns the attempt and zero when it may: the caller checks the password
    and, on success, calls :func:`attempt_succeeded`. Otherwise the attempt
    is deleted again and the wait is returned.
    """
    now = now or datetime.now(UTC)
    attempt = LoginAttempt(at=now, username=username, address=address, succeeded=False)
    session.add(attempt)
    session.commit()
    wait = locked_for(session, username, address, limits, now, exclude=attempt.id)
    if wait:
        session.delete(attempt)
        session.commit()
        return None, wait
    return attempt, wait


def attempt_succeeded(session: Session, attempt: LoginAttempt) -> None:
    """The password was right (flushes); attempts past keeping are cleared out too."""
    attempt.succeeded = True
    session.execute(
        sa.delete(LoginAttempt).where(LoginAttempt.at < attempt.at - timedelta(days=KEEP_DAYS))
    )
    session.flush()


def wait_message(wait: timedelta) -> str:
    """Indonesian message for a locked sign-in."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return (
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi dalam "
        f"{minutes} menit."
    )


def _recent_failures(
    session: Session, who: sa.ColumnElement[bool], after: datetime, limit: int
) -> list[datetime]:
    """Times of the latest ``limit`` failed attempts of ``who`` after ``after``, newest first."""
    return list(
        session.scalars(
            sa.select(LoginAttempt.at)
            .where(who, LoginAttempt.succeeded.is_(False), LoginAttempt.at > after)
            .order_by(LoginAttempt.at.desc())
            .limit(limit)
        ).all()
    )
