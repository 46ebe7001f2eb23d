"""Staff sessions: how long a sign-in lasts, and ending every session of a user.

The session is Flask's signed cookie. Besides the user's id it holds:

- the user's *session version* at sign-in. Signing out, changing or
  resetting the password and deactivating the account raise
  ``User.session_version``; every cookie with an older version, including
  one copied before, no longer signs anyone in;
- when the user signed in: after ``SKM_SESSION_MAX_HOURS`` (12) they must
  sign in again, however busy;
- when the user was last seen: after ``SKM_SESSION_IDLE_MINUTES`` (30)
  without a request, the session ends (a PC left on at the counter).
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from flask import current_app, session

from skm import database
from skm.models import User

DEFAULTS = {"SKM_SESSION_IDLE_MINUTES": 30, "SKM_SESSION_MAX_HOURS": 12}

VERSION_KEY = "_skm_version"
STARTED_KEY = "_skm_started"
SEEN_KEY = "_skm_seen"

#: The last-seen time is written back at most this often (seconds): every
#: write sends the cookie again.
SEEN_RESOLUTION = 60


def mark_signed_in(
    store: MutableMapping[str, Any], user_id: int, version: int, now: float | None = None
) -> None:
    """Write a signed-in session for the user into ``store`` (Flask's session)."""
    now = time.time() if now is None else now
    store["_user_id"] = str(user_id)
    store["_fresh"] = True
    store[VERSION_KEY] = version
    store[STARTED_KEY] = now
    store[SEEN_KEY] = now


def session_fields(user_id: int, version: int) -> dict[str, Any]:
    """A signed-in session's fields, for a cookie made outside a request (scripts, tests)."""
    fields: dict[str, Any] = {}
    mark_signed_in(fields, user_id, version)
    return fields


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user, while this session is still valid."""
    if not user_id.isdigit():
        return None
    user = database.session().get(User, int(user_id))
    if user is None or not user.active or not _still_valid(user.session_version):
        _forget()
        return None
    now = time.time()
    if now - float(session.get(SEEN_KEY, 0)) >= SEEN_RESOLUTION:
        session[SEEN_KEY] = now
    return user


def _still_valid(version: int) -> bool:
    config = current_app.config
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY)
    if session.get(VERSION_KEY) != version or started is None or seen is None:
        return False
    now = time.time()
    idle = float(config["SKM_SESSION_IDLE_MINUTES"]) * 60
    longest = float(config["SKM_SESSION_MAX_HOURS"]) * 3600
    return now - float(seen) <= idle and now - float(started) <= longest


def _forget() -> None:
    for key in ("_user_id", "_fresh", "_id", VERSION_KEY, STARTED_KEY, SEEN_KEY):
        session.pop(key, None)
