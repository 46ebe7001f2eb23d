"""The audit log: who changed what, when."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skm.database import Base, UTCDateTime
from skm.models.survey import BigId, Unit, User


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AuditEntry(Base):
    """One change made by a staff member.

    ``username`` is copied so the entry stays readable if the account is
    renamed; ``unit_id`` is the unit the changed object belongs to, so each
    admin sees the entries of their own subtree. ``changes`` maps a field
    to ``[before, after]``.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    username: Mapped[str] = mapped_column(sa.String(80))
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(40))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(40))
    summary: Mapped[str] = mapped_column(sa.String(500))
    changes: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    address: Mapped[str | None] = mapped_column(sa.String(64))

    user: Mapped[User | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
