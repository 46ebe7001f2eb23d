"""Creating, checking and revoking API tokens."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.hashing import secret_hash
from skm.models import Unit, User
from skm.models.api import ApiToken

# The public prefix that marks a token, not a secret.
TOKEN_PREFIX = "skm_"  # nosec B105


def create_token(
    session: Session, name: str, unit: Unit, created_by: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``unit``; the plain token is returned once and never stored."""
    if not name.strip():
        raise ValueError("Nama token wajib diisi.")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip(),
        unit=unit,
        token_hash=secret_hash(plain),
        prefix=plain[:10],
        created_by=created_by,
    )
    session.add(token)
    session.flush()
    return token, plain


def authenticate(session: Session, plain: str) -> ApiToken | None:
    """The active token matching ``plain``, or None."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == secret_hash(plain)))
    if token is None or not token.active:
        return None
    return token


def revoke_token(session: Session, token: ApiToken) -> None:
    """Revoke a token (flushes); it can never be used again."""
    token.revoked_at = datetime.now(UTC)
    session.flush()
