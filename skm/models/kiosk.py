"""Kiosks: tablets that staff open for a unit (and optionally one layanan)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skm.database import Base, UTCDateTime
from skm.hashing import secret_hash
from skm.models.survey import Layanan, Unit


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Kiosk(Base):
    """A tablet on a counter, opened by staff.

    The secret in the kiosk's address lets whoever holds it submit as this
    kiosk, so it is long and random, can be revoked by closing the kiosk or
    replaced, and only its hash is stored (``token_hash``): the plain secret
    is known right after opening or replacing (``token``) and when a tablet
    sends it. The heartbeat columns tell staff when the kiosk last
    reported in and how many responses wait in its offline queue.
    """

    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    layanan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("layanan.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_delivery_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    queue_length: Mapped[int] = mapped_column(default=0)
    # Responses the server refused for good (kept aside on the tablet): a
    # sign that something changed under the kiosk, e.g. a layanan removed.
    rejected_count: Mapped[int] = mapped_column(default=0)
    # Last: revision 0002 added it to the existing table.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    unit: Mapped[Unit] = relationship()
    layanan: Mapped[Layanan | None] = relationship()

    @property
    def token(self) -> str | None:
        """The plain secret, when this process knows it (never read from the database)."""
        return getattr(self, "_plain_token", None)

    @token.setter
    def token(self, plain: str) -> None:
        self._plain_token = plain
        self.token_hash = secret_hash(plain)

    def remember_token(self, plain: str) -> None:
        """The tablet sent ``plain`` and it matched: URLs of this request may use it."""
        self._plain_token = plain
