"""Bearer-token authentication of API requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import request
from sqlalchemy.orm import Session

from skm.models.api import ApiToken
from skm.tokens import authenticate

#: ``last_used_at`` is written at most this often: one write per request
#: would double the work of a bulk import.
LAST_USED_INTERVAL = timedelta(minutes=1)


def bearer_token() -> str | None:
    """The token of ``Authorization: Bearer <token>``, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def token_of_request(session: Session) -> ApiToken | None:
    """The active token the request carries (its use noted, committed), or None."""
    plain = bearer_token()
    if plain is None:
        return None
    token = authenticate(session, plain)
    if token is None:
        return None
    now = datetime.now(UTC)
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_INTERVAL:
        token.last_used_at = now
        session.commit()
    return token
