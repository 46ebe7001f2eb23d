"""Kiosks: tablets that staff open for a unit (and optionally one layanan)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skm.database import Base, UTCDateTime
from skm.models import Layanan, Unit


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Kiosk(Base):
    """A tablet on a counter, opened by staff.

    ``token`` is the secret in the kiosk's address: whoever holds it can
    submit as this kiosk, so it is long and random and can be revoked by
    closing the kiosk. The heartbeat columns tell staff when the kiosk last
    reported in and how many responses wait in its offline queue.
    """

    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    layanan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("layanan.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(120))
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_delivery_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    queue_length: Mapped[int] = mapped_column(default=0)
    # Responses the server refused for good (kept aside on the tablet): a
    # sign that something changed under the kiosk, e.g. a layanan removed.
    rejected_count: Mapped[int] = mapped_column(default=0)

    unit: Mapped[Unit] = relationship()
    layanan: Mapped[Layanan | None] = relationship()
