"""Batches of responses stored together: one import, or one operator's paper forms of a day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skm.database import Base, UTCDateTime
from skm.models.survey import Unit, User


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ImportBatch(Base):
    """Responses that arrived together and can be undone together.

    Every response of a batch carries its id (``Response.import_batch_id``).
    Undoing deletes exactly those responses and keeps this row, so the
    history shows who stored what and who took it back. Names of the staff
    are copied, as in the audit log, so the history stays readable after an
    account is renamed or removed.
    """

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``import``: a tabulation file; ``paper``: forms typed in by one operator on one day.
    kind: Mapped[str] = mapped_column(sa.String(10))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    instrument_key: Mapped[str] = mapped_column(sa.String(64))
    instrument_version: Mapped[int] = mapped_column(sa.SmallInteger)
    #: The periode the tabulation was declared to cover ("2023-T2"); imports only.
    periode_code: Mapped[str | None] = mapped_column(sa.String(40))
    #: The office's local day on which the paper forms were typed in; paper only.
    entry_date: Mapped[date | None] = mapped_column(sa.Date)
    filename: Mapped[str | None] = mapped_column(sa.String(255))
    #: SHA-256 of the imported file: the same file imported twice would count twice.
    content_sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    row_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_by_name: Mapped[str] = mapped_column(sa.String(200), default="")
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    undone_by_name: Mapped[str | None] = mapped_column(sa.String(200))
    #: How many responses the undo removed (the batch's own count may differ
    #: for paper batches whose single forms were deleted).
    undone_count: Mapped[int | None] = mapped_column()

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    __table_args__ = (
        sa.CheckConstraint("kind IN ('import', 'paper')", name="kind"),
        sa.Index("ix_import_batch_paper", "kind", "unit_id", "created_by_id", "entry_date"),
    )

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.kind} {self.row_count}>"
