"""Indikator Kinerja Utama (IKU): indicators per unit, yearly targets, realisation, predikat."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skm.database import Base, UTCDateTime
from skm.models.survey import Unit

#: ``higher``: the more the better (capaian = realisasi / target);
#: ``lower``: the less the better (capaian = 2 − realisasi / target).
POLARITIES = ("higher", "lower")

#: How the realisation of an indicator is obtained:
#: ``ikm``: the konversi of the survey in the periode (never typed in);
#: ``value``: typed in as a number (an AKIP value, a count, an area);
#: ``ratio``: numerator / denominator x 100 (the seeds' "Jumlah ... / Jumlah ... x 100%");
#: ``change``: year-on-year change (n − (n−1)) / n x 100 from two counts;
#: ``count``: a whole number of things done (Kegt: kegiatan);
#: ``quantity``: a measured amount in the unit its satuan names (M2 of green space);
#: ``composite``: the mean or the sum of component percentages (SOP compliance per layanan);
#: ``grade``: a predikat on an ordered scale (AKIP: AA, A, BB, B, CC, C, D).
METHODS = ("ikm", "value", "ratio", "change", "count", "quantity", "composite", "grade")

#: How a composite combines its components.
COMBINATIONS = ("mean", "sum")

#: Exact decimals: targets such as 74,15 must not become 74.1499999.
Amount = sa.Numeric(18, 4)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class IkuIndicator(Base):
    """One IKU of a unit, as its IKU document lists it.

    ``code`` is a stable short name within the unit ("ikm", "akip") so that
    re-importing the document updates the indicator instead of adding a
    second one.
    """

    __tablename__ = "iku_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    position: Mapped[int] = mapped_column(default=0)
    sasaran: Mapped[str] = mapped_column(sa.Text)
    name: Mapped[str] = mapped_column(sa.Text)
    satuan: Mapped[str] = mapped_column(sa.String(60))
    alasan: Mapped[str | None] = mapped_column(sa.Text)
    formula: Mapped[str | None] = mapped_column(sa.Text)
    penanggung_jawab: Mapped[str | None] = mapped_column(sa.Text)
    sumber_data: Mapped[str | None] = mapped_column(sa.Text)
    polarity: Mapped[str] = mapped_column(sa.String(10), default="higher")
    method: Mapped[str] = mapped_column(sa.String(10), default="value")
    #: What the numerator and denominator (ratio) or the two counts (change) count.
    numerator_label: Mapped[str | None] = mapped_column(sa.String(300))
    denominator_label: Mapped[str | None] = mapped_column(sa.String(300))
    #: IKM only: score the unit with its sub-units (a kecamatan with its kelurahan).
    include_subunits: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow, onupdate=_utcnow)
    #: The document's *definisi operasional* (Kecamatan Bathin Solapan writes one per indicator).
    definisi: Mapped[str | None] = mapped_column(sa.Text)
    #: Grade only: the ordered scale, best first, separated by commas ("AA, A, BB, B, CC, C, D").
    scale: Mapped[str | None] = mapped_column(sa.String(200))
    #: Composite only: ``mean`` or ``sum`` of the component percentages.
    combination: Mapped[str | None] = mapped_column(sa.String(10))

    unit: Mapped[Unit] = relationship()
    targets: Mapped[list[IkuTarget]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IkuTarget.year"
    )
    realisasi: Mapped[list[IkuRealisasi]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("unit_id", "code", name="unit_code"),
        sa.CheckConstraint(_in("polarity", POLARITIES), name="polarity"),
        sa.CheckConstraint(_in("method", METHODS), name="method"),
    )

    def target_for(self, year: int) -> Decimal | None:
        for target in self.targets:
            if target.year == year:
                return target.value
        return None

    def target_grade_for(self, year: int) -> str | None:
        """The target predikat of a grade indicator for ``year``."""
        for target in self.targets:
            if target.year == year:
                return target.grade
        return None

    @property
    def grades(self) -> tuple[str, ...]:
        """The grade scale, best first (empty for other kinds)."""
        return tuple(part.strip() for part in (self.scale or "").split(",") if part.strip())

    def __repr__(self) -> str:
        return f"<IkuIndicator {self.code}>"


class IkuTarget(Base):
    """The target of one indicator for one year: a number, or a predikat (``grade``)."""

    __tablename__ = "iku_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("iku_indicator.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    value: Mapped[Decimal | None] = mapped_column(Amount)
    grade: Mapped[str | None] = mapped_column(sa.String(20))

    indicator: Mapped[IkuIndicator] = relationship(back_populates="targets")

    # A target holds ``value`` or, for a grade indicator, ``grade``; the service checks
    # which (skm.results.indicators), as it checks a composite's combination.
    __table_args__ = (sa.UniqueConstraint("indicator_id", "year", name="indicator_year"),)


class IkuRealisasi(Base):
    """What was achieved in one triwulan (1–4) or in the whole year (``triwulan`` 0).

    Only the inputs are stored (a value, or numerator and denominator, or
    the counts of this and the previous period, a grade, the components of a
    composite); the realisation itself is
    computed when read, so correcting an input corrects every report.
    """

    __tablename__ = "iku_realisasi"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("iku_indicator.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    triwulan: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    value: Mapped[Decimal | None] = mapped_column(Amount)
    numerator: Mapped[Decimal | None] = mapped_column(Amount)
    denominator: Mapped[Decimal | None] = mapped_column(Amount)
    current_count: Mapped[Decimal | None] = mapped_column(Amount)
    previous_count: Mapped[Decimal | None] = mapped_column(Amount)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_utcnow, onupdate=_utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_by_name: Mapped[str | None] = mapped_column(sa.String(200))
    #: A grade indicator's predikat, as given by the inspectorate.
    grade: Mapped[str | None] = mapped_column(sa.String(20))
    #: A composite's component values, one decimal per line ("100", "87.5").
    components: Mapped[str | None] = mapped_column(sa.Text)

    indicator: Mapped[IkuIndicator] = relationship(back_populates="realisasi")

    __table_args__ = (
        # triwulan 0 (not NULL) for the year: NULLs never collide in a unique constraint.
        sa.UniqueConstraint("indicator_id", "year", "triwulan", name="indicator_periode"),
        sa.CheckConstraint("triwulan BETWEEN 0 AND 4", name="triwulan"),
    )


class IkuPredikat(Base):
    """One step of a unit's predikat scale for capaian: ``minimum`` and up is ``label``.

    The step with ``minimum`` NULL is the floor (everything below the others).
    A unit without steps uses its parent's scale, then the default one.
    """

    __tablename__ = "iku_predikat"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    minimum: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    label: Mapped[str] = mapped_column(sa.String(60))
