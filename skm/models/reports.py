"""What staff set before exporting a report: the signing official and the narrative."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from skm.database import Base, UTCDateTime

#: Narrative sections staff may rewrite per report, in the order the report prints them.
NARRATIVE_FIELDS = (
    "kata_pengantar",
    "latar_belakang",
    "dasar_pelaksanaan",
    "maksud_tujuan",
    "pelaksana",
    "metode",
    "lokasi",
    "analisis",
    "penutup",
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ReportSignatory(Base):
    """The official who signs the unit's SKM reports (one per unit).

    ``jabatan`` is printed above the signature ("Camat Sukamaju"),
    ``tempat`` before the date ("Sukamaju, 22 November 2026").
    """

    __tablename__ = "report_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), unique=True)
    jabatan: Mapped[str] = mapped_column(sa.String(200), default="")
    nama: Mapped[str] = mapped_column(sa.String(200), default="")
    pangkat: Mapped[str] = mapped_column(sa.String(120), default="")
    nip: Mapped[str] = mapped_column(sa.String(30), default="")
    tempat: Mapped[str] = mapped_column(sa.String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class ReportNarrative(Base):
    """The narrative of one report (unit and periode) as staff edited it.

    A NULL section means "the default text": defaults are written from the
    data of the report, so they stay right when late responses arrive;
    only what staff actually changed is stored.
    """

    __tablename__ = "report_narrative"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    periode_code: Mapped[str] = mapped_column(sa.String(32))
    kata_pengantar: Mapped[str | None] = mapped_column(sa.Text)
    latar_belakang: Mapped[str | None] = mapped_column(sa.Text)
    dasar_pelaksanaan: Mapped[str | None] = mapped_column(sa.Text)
    maksud_tujuan: Mapped[str | None] = mapped_column(sa.Text)
    pelaksana: Mapped[str | None] = mapped_column(sa.Text)
    metode: Mapped[str | None] = mapped_column(sa.Text)
    lokasi: Mapped[str | None] = mapped_column(sa.Text)
    analisis: Mapped[str | None] = mapped_column(sa.Text)
    penutup: Mapped[str | None] = mapped_column(sa.Text)
    #: Saran are written by the public; an office may leave them out of the printed report.
    include_saran: Mapped[bool] = mapped_column(default=True)
    #: The date printed above the signature; NULL: the day the report is produced.
    report_date: Mapped[date | None] = mapped_column(sa.Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (sa.UniqueConstraint("unit_id", "periode_code", name="unit_periode"),)
