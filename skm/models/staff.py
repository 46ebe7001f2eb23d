"""What staff record next to the responses: population, saran follow-up, the RTL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skm.database import Base, UTCDateTime
from skm.models.survey import BigId, SurveyResponse, Unit, User

#: Follow-up states of a saran, in the order they happen.
SARAN_STATUSES = ("baru", "ditindaklanjuti", "selesai")
SARAN_STATUS_LABELS = {
    "baru": "Baru",
    "ditindaklanjuti": "Ditindaklanjuti",
    "selesai": "Selesai",
}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Population(Base):
    """People the unit served in a periode (N for Krejcie & Morgan), as the office counts them.

    ``periode_code`` is :attr:`skm.periode.Periode.code` ("2026-T3",
    "2026-S1", "2026" or a date range), so each periode has at most one
    figure per unit.
    """

    __tablename__ = "populasi"
    #: What audit entries store as the object type (the class's earlier name).
    audit_type: ClassVar[str] = "Populasi"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    periode_code: Mapped[str] = mapped_column(sa.String(32))
    population: Mapped[int] = mapped_column(sa.Integer)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    unit: Mapped[Unit] = relationship()
    updated_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("unit_id", "periode_code", name="populasi_unit_periode"),
        sa.CheckConstraint("population >= 1", name="population_positive"),
    )


class SaranTindakLanjut(Base):
    """The follow-up of one respondent's saran. No row means the saran is still "baru"."""

    __tablename__ = "saran_tindak_lanjut"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        BigId, sa.ForeignKey("response.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(sa.String(20), default="baru")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    response: Mapped[SurveyResponse] = relationship()
    updated_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in SARAN_STATUSES) + ")", name="status"
        ),
    )


class RencanaTindakLanjut(Base):
    """One row of the rencana tindak lanjut (RTL) of a unit for a periode.

    Columns as the KemenPANRB report prints them: prioritas unsur,
    program/kegiatan, waktu (the triwulan in which it is done, TW I–IV) and
    penanggung jawab. ``triwulan`` holds the chosen quarters as digits, e.g.
    "23" for TW II and TW III.
    """

    __tablename__ = "rencana_tindak_lanjut"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    periode_code: Mapped[str] = mapped_column(sa.String(32))
    unsur_key: Mapped[str] = mapped_column(sa.String(40))
    program: Mapped[str] = mapped_column(sa.Text)
    triwulan: Mapped[str] = mapped_column(sa.String(4))
    penanggung_jawab: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_rencana_tindak_lanjut_unit_periode", "unit_id", "periode_code"),)

    @property
    def waktu(self) -> str:
        """ "TW II, TW III" for ``triwulan == "23"``."""
        roman = ("I", "II", "III", "IV")
        return ", ".join(f"TW {roman[int(d) - 1]}" for d in self.triwulan)
