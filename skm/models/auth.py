"""Sign-in attempts, kept to slow down password guessing."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from skm.database import Base, UTCDateTime
from skm.models.survey import BigId


def _utcnow() -> datetime:
    return datetime.now(UTC)


class LoginAttempt(Base):
    """One sign-in attempt. Stored rather than counted in memory so that a restart of
    the office PC does not reset a lockout, and admins can see what was tried."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    username: Mapped[str] = mapped_column(sa.String(80))
    address: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        sa.Index("ix_login_attempt_username_at", "username", "at"),
        sa.Index("ix_login_attempt_address_at", "address", "at"),
    )
