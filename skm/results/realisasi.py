"""Realisation of IKU indicators and the IKU realisation table.

The IKM indicator's realisation is the nilai konversi of the survey in the
periode (rounded to two decimals, the value every report prints), computed
by :func:`skm.ikm.score` in SQL; other indicators are computed from the
inputs staff typed in (:class:`~skm.models.iku.IkuRealisasi`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import DEFAULT_INSTRUMENT_KEY, Instrument, get_instrument, registry
from skm.config import office_timezone
from skm.ikm import Scope, score
from skm.models import Unit, User
from skm.models.iku import IkuIndicator, IkuRealisasi, IkuTarget
from skm.periode import ROMAN, Periode
from skm.results.amounts import format_amount, plain
from skm.results.capaian import (
    PredikatStep,
    RealisasiError,
    as_fraction,
    capaian,
    change,
    composite,
    grade_capaian,
    grade_position,
    predikat,
    ratio,
    round_half_up,
)
from skm.results.indicators import indicators_of, predikat_scale

#: ``IkuRealisasi.triwulan`` of the whole year.
TAHUNAN = 0


def periode_label(triwulan: int) -> str:
    return "Tahunan" if triwulan == TAHUNAN else f"Triwulan {ROMAN[triwulan - 1]}"


@dataclass(frozen=True)
class IkmRealisasi:
    konversi: Decimal  # rounded to two decimals, as published
    respondents: int
    instrument: Instrument


def ikm_realisasi(
    session: Session, indicator: IkuIndicator, periode: Periode, tz: ZoneInfo
) -> IkmRealisasi | None:
    """The survey's nilai konversi for the indicator's unit in ``periode``, or None.

    The current questionnaire is scored first; a periode that only has
    responses under an older instrument (an imported Kepmenpan 25/2004
    tabulation) is scored with that instrument and its own bands. The
    konversi is on 25–100 under both, the scale of the target.
    """
    scope = Scope(unit=indicator.unit, include_subunits=indicator.include_subunits)
    default = get_instrument(DEFAULT_INSTRUMENT_KEY)
    others = [inst for inst in registry().values() if inst.key != default.key]
    for instrument in [default, *others]:
        result = score(session, instrument, periode, tz, scope)
        if result is not None:
            return IkmRealisasi(
                Decimal(result.konversi_centi).scaleb(-2),
                int(result.respondents or 0),
                instrument,
            )
    return None


def components_of(text: str | None) -> tuple[Decimal, ...]:
    """The stored component values of a composite (one decimal per line)."""
    return tuple(Decimal(line) for line in (text or "").split() if line)


def entry_realisasi(indicator: IkuIndicator, entry: IkuRealisasi) -> Decimal | None:
    """The realisation from typed-in inputs, as printed (None when inputs are missing,
    and for a grade, whose realisation is :func:`entry_grade`).

    A value, count or quantity is kept as typed; a ratio, change or composite
    is rounded half-up to two decimals. Raises RealisasiError for inputs that
    give no number (a zero denominator).
    """
    if indicator.method in ("value", "count", "quantity"):
        return plain(entry.value)
    if indicator.method == "composite":
        values = components_of(entry.components)
        if not values:
            return None
        return round_half_up(composite(values, indicator.combination or "mean"))
    if indicator.method == "ratio":
        if entry.numerator is None or entry.denominator is None:
            return None
        return round_half_up(ratio(entry.numerator, entry.denominator))
    if indicator.method == "change":
        if entry.current_count is None or entry.previous_count is None:
            return None
        return round_half_up(change(entry.current_count, entry.previous_count))
    return None


def entry_grade(indicator: IkuIndicator, entry: IkuRealisasi) -> str | None:
    """A grade indicator's realised predikat; RealisasiError when it left the scale."""
    if indicator.method != "grade" or not entry.grade:
        return None
    grade_position(entry.grade, indicator.grades)
    return entry.grade


def entry_detail(indicator: IkuIndicator, entry: IkuRealisasi) -> str | None:
    """The inputs behind a computed realisation, as the table shows them under it."""
    if indicator.method == "ratio" and entry.numerator is not None:
        numerator, denominator = plain(entry.numerator), plain(entry.denominator)
        return f"{format_amount(numerator)} / {format_amount(denominator)}"
    if indicator.method == "change" and entry.current_count is not None:
        return (
            f"n = {format_amount(plain(entry.current_count))}, "
            f"n−1 = {format_amount(plain(entry.previous_count))}"
        )
    if indicator.method == "composite":
        values = components_of(entry.components)
        word = "rata-rata" if indicator.combination != "sum" else "jumlah"
        return f"{word} {len(values)} komponen" if values else None
    return None


@dataclass(frozen=True)
class IkuRow:
    """One line of the IKU realisation table."""

    indicator_id: int
    number: int
    code: str
    sasaran: str
    name: str
    satuan: str
    polarity: str
    method: str
    formula: str | None
    penanggung_jawab: str | None
    sumber_data: str | None
    target: Decimal | None
    realisasi: Decimal | None
    #: Where the realisation comes from or why there is none ("Triwulan III", "1.204 responden").
    realisasi_note: str | None
    capaian: Decimal | None
    capaian_note: str | None
    predikat: str | None
    respondents: int | None = None
    #: Grade indicators: the target and realised predikat (``target``, ``realisasi`` None).
    target_grade: str | None = None
    realisasi_grade: str | None = None
    #: The inputs behind a computed realisation ("18 / 42", "n = 40, n−1 = 50").
    realisasi_detail: str | None = None

    @property
    def target_text(self) -> str:
        """The target as the table prints it: "83,5", "BB", or "–"."""
        return self.target_grade or format_amount(self.target)

    @property
    def realisasi_text(self) -> str:
        return self.realisasi_grade or format_amount(self.realisasi)


def capaian_of(
    realisasi: Decimal | None,
    target: Decimal | None,
    polarity: str,
    steps: tuple[PredikatStep, ...],
) -> tuple[Decimal | None, str | None, str | None]:
    """(capaian rounded to two decimals, why there is none, predikat)."""
    if target is None:
        return None, "Target tahun ini belum ditetapkan.", None
    if realisasi is None:
        return None, None, None
    exact = capaian(as_fraction(realisasi), as_fraction(target), polarity)
    if exact is None:
        return None, "Target bernilai nol: capaian tidak dapat dihitung.", None
    rounded = round_half_up(exact)
    return rounded, None, predikat(rounded, steps)


def grade_capaian_of(
    realised: str | None, target: str | None, scale: tuple[str, ...],
    steps: tuple[PredikatStep, ...],
) -> tuple[Decimal | None, str | None, str | None]:  # fmt: skip
    """:func:`capaian_of` for a grade indicator."""
    if target is None:
        return None, "Target tahun ini belum ditetapkan.", None
    if realised is None:
        return None, None, None
    try:
        rounded = round_half_up(grade_capaian(realised, target, scale))
    except RealisasiError as error:
        return None, str(error), None
    return rounded, None, predikat(rounded, steps)


@dataclass(frozen=True)
class _Found:
    value: Decimal | None
    grade: str | None
    detail: str | None
    note: str | None


def _entry_for(
    entries: dict[tuple[int, int], IkuRealisasi], indicator: IkuIndicator, year: int,
    triwulan: int | None,
) -> _Found:  # fmt: skip
    """Realisation and note for a year (annual entry, else the latest triwulan) or a triwulan."""
    wanted = [triwulan] if triwulan is not None else [TAHUNAN, 4, 3, 2, 1]
    problem = None
    for number in wanted:
        entry = entries.get((indicator.id, number))
        if entry is None:
            continue
        try:
            value = entry_realisasi(indicator, entry)
            grade = entry_grade(indicator, entry)
        except RealisasiError as error:
            problem = str(error)
            continue
        if value is None and grade is None:
            continue
        notes = []
        if triwulan is None and number != TAHUNAN:
            notes.append(f"Sampai {periode_label(number)}; realisasi tahunan belum diisi.")
        if entry.note:
            notes.append(entry.note.rstrip(".") + ".")
        return _Found(value, grade, entry_detail(indicator, entry), " ".join(notes) or None)
    return _Found(None, None, None, problem or "Belum diisi.")


def iku_table(
    session: Session,
    unit: Unit,
    year: int,
    *,
    triwulan: int | None = None,
    tz: ZoneInfo | None = None,
    today: datetime | None = None,
) -> list[IkuRow]:
    """The IKU realisation table of ``unit`` for ``year`` (or one triwulan of it).

    Columns as the performance report prints them: sasaran, indikator,
    satuan, target (of the year), realisasi, capaian, predikat. ``tz``
    defaults to the office's time zone (needs an application context).
    """
    if tz is None:
        tz = office_timezone()
    now = today or datetime.now(UTC)
    steps, _ = predikat_scale(session, unit)
    indicators = indicators_of(session, unit)
    if not indicators:
        return []
    entries = _entries_of(session, indicators, year)
    periode = Periode.tahun(year) if triwulan is None else Periode.triwulan(year, triwulan)
    rows = []
    for number, indicator in enumerate(indicators, start=1):
        target = plain(indicator.target_for(year))
        respondents = None
        grade: str | None = None
        detail: str | None = None
        note: str | None
        if indicator.method == "ikm":
            found = ikm_realisasi(session, indicator, periode, tz)
            realisasi = found.konversi if found is not None else None
            respondents = found.respondents if found is not None else None
            note = _survey_note(found, periode, now, tz)
        else:
            found_entry = _entry_for(entries, indicator, year, triwulan)
            realisasi, grade = found_entry.value, found_entry.grade
            detail, note = found_entry.detail, found_entry.note
        target_grade = indicator.target_grade_for(year) if indicator.method == "grade" else None
        if indicator.method == "grade":
            value, capaian_note, label = grade_capaian_of(
                grade, target_grade, indicator.grades, steps
            )
        else:
            value, capaian_note, label = capaian_of(realisasi, target, indicator.polarity, steps)
        rows.append(
            IkuRow(
                indicator_id=indicator.id,
                number=number,
                code=indicator.code,
                sasaran=indicator.sasaran,
                name=indicator.name,
                satuan=indicator.satuan,
                polarity=indicator.polarity,
                method=indicator.method,
                formula=indicator.formula,
                penanggung_jawab=indicator.penanggung_jawab,
                sumber_data=indicator.sumber_data,
                target=target,
                realisasi=realisasi,
                realisasi_note=note,
                capaian=value,
                capaian_note=capaian_note,
                predikat=label,
                respondents=respondents,
                target_grade=target_grade,
                realisasi_grade=grade,
                realisasi_detail=detail,
            )
        )
    return rows


def _entries_of(
    session: Session, indicators: Sequence[IkuIndicator], year: int
) -> dict[tuple[int, int], IkuRealisasi]:
    """The realisasi staff entered for ``indicators`` in ``year``, by (indicator, triwulan)."""
    return {
        (entry.indicator_id, entry.triwulan): entry
        for entry in session.scalars(
            sa.select(IkuRealisasi).where(
                IkuRealisasi.indicator_id.in_([i.id for i in indicators]),
                IkuRealisasi.year == year,
            )
        )
    }


def _survey_note(found: IkmRealisasi | None, periode: Periode, now: datetime, tz: ZoneInfo) -> str:
    """Where the IKM realisasi comes from: how many respondents, which questionnaire when
    not the default one, and whether the periode is still running (the value may move)."""
    if found is None:
        return "Belum ada data survei pada periode ini."
    note = f"Survei: {found.respondents:,} responden".replace(",", ".")
    if found.instrument.key != DEFAULT_INSTRUMENT_KEY:
        note += f" ({found.instrument.short_name})"
    if periode.contains(now, tz) or periode.start > now.astimezone(tz).date():
        note += "; periode masih berjalan"
    return note + "."


def ikm_target(session: Session, unit: Unit, year: int) -> float | None:
    """The IKU target of ``unit``'s IKM indicator for ``year`` (konversi, 25–100), or None.

    For the dashboard's trend chart, which draws it as a target line.
    """
    value = session.scalar(
        sa.select(IkuTarget.value)
        .join(IkuIndicator, IkuTarget.indicator_id == IkuIndicator.id)
        .where(
            IkuIndicator.unit_id == unit.id,
            IkuIndicator.method == "ikm",
            IkuTarget.year == year,
        )
    )
    return None if value is None else float(value)


def ikm_target_for_periode(session: Session, unit: Unit, periode: Periode) -> float | None:
    """The target that applies to a periode: that of its year (lookup for the trend chart)."""
    return ikm_target(session, unit, periode.last_day.year)


@dataclass(frozen=True)
class RealisasiInput:
    """Typed-in inputs of one triwulan or year; which ones count depends on the method."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    current_count: Decimal | None = None
    previous_count: Decimal | None = None
    note: str | None = None
    grade: str | None = None
    components: tuple[Decimal, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.grade and not self.components and all(
            v is None
            for v in (
                self.value, self.numerator, self.denominator,
                self.current_count, self.previous_count,
            )
        )  # fmt: skip


#: The inputs each method stores; the others are cleared.
METHOD_INPUTS = {
    "value": ("value",),
    "count": ("value",),
    "quantity": ("value",),
    "ratio": ("numerator", "denominator"),
    "change": ("current_count", "previous_count"),
    "composite": ("components",),
    "grade": ("grade",),
}


def realisasi_problem(indicator: IkuIndicator, data: RealisasiInput) -> str | None:
    """Why ``data`` cannot be saved for ``indicator``, or None (messages in Indonesian)."""
    method = indicator.method
    if method == "ikm":
        return "Realisasi IKM diambil otomatis dari hasil survei."
    if data.empty:
        return None
    if method == "ratio":
        if data.numerator is None or data.denominator is None:
            return "Isi pembilang dan penyebut."
        try:
            ratio(data.numerator, data.denominator)
        except RealisasiError as error:
            return str(error)
    if method == "change":
        if data.current_count is None or data.previous_count is None:
            return "Isi jumlah periode ini (n) dan periode sebelumnya (n−1)."
        try:
            change(data.current_count, data.previous_count)
        except RealisasiError as error:
            return str(error)
    if method in ("count", "quantity", "value") and data.value is None:
        return "Isi nilai realisasinya."
    whole = data.value is not None and data.value == data.value.to_integral_value()
    if method == "count" and data.value is not None and (data.value < 0 or not whole):
        return "Jumlah harus bilangan bulat, tidak negatif (mis. 12 kegiatan)."
    if method == "quantity" and data.value is not None and data.value < 0:
        return "Besaran tidak boleh negatif."
    if method == "composite":
        if not data.components:
            return "Isi nilai komponen, satu per baris."
        try:
            composite(data.components, indicator.combination or "mean")
        except RealisasiError as error:
            return str(error)
    if method == "grade" and data.grade not in indicator.grades:
        return f"Pilih predikat dari skala: {', '.join(indicator.grades)}."
    values = (data.value, data.numerator, data.denominator, data.current_count,
              data.previous_count, *data.components)  # fmt: skip
    if any(v is not None and abs(v) >= Decimal("1e13") for v in values):
        return "Angka terlalu besar."
    return None


def save_realisasi(
    session: Session,
    indicator: IkuIndicator,
    year: int,
    triwulan: int,
    data: RealisasiInput,
    user: User | None,
) -> IkuRealisasi | None:
    """Store the inputs of one triwulan (1–4) or the year (0); empty inputs remove them.

    Flushes; raises RealisasiError when the inputs cannot be used.
    """
    if not 0 <= triwulan <= 4:
        raise RealisasiError("Triwulan harus 1 sampai 4 (0 untuk tahunan).")
    problem = realisasi_problem(indicator, data)
    if problem:
        raise RealisasiError(problem)
    entry = session.scalar(
        sa.select(IkuRealisasi).where(
            IkuRealisasi.indicator_id == indicator.id,
            IkuRealisasi.year == year,
            IkuRealisasi.triwulan == triwulan,
        )
    )
    if data.empty:
        if entry is not None:
            session.delete(entry)
            session.flush()
        return None
    if entry is None:
        entry = IkuRealisasi(indicator_id=indicator.id, year=year, triwulan=triwulan)
        session.add(entry)
    keep = METHOD_INPUTS[indicator.method]
    for name in ("value", "numerator", "denominator", "current_count", "previous_count", "grade"):
        setattr(entry, name, getattr(data, name) if name in keep else None)
    entry.components = (
        "\n".join(str(value) for value in data.components) if "components" in keep else None
    )
    entry.note = (data.note or "").strip()[:300] or None
    entry.updated_by_id = user.id if user is not None else None
    entry.updated_by_name = (user.full_name or user.username) if user is not None else None
    session.flush()
    return entry


def realisasi_entries(
    session: Session, indicator: IkuIndicator, year: int
) -> dict[int, IkuRealisasi]:
    """The stored inputs of one year, by triwulan (0 = tahunan)."""
    return {
        entry.triwulan: entry
        for entry in session.scalars(
            sa.select(IkuRealisasi).where(
                IkuRealisasi.indicator_id == indicator.id, IkuRealisasi.year == year
            )
        )
    }


def years_with_data(session: Session, unit: Unit) -> list[int]:
    """Years that have a target or a realisation for some indicator of ``unit``."""
    ids = sa.select(IkuIndicator.id).where(IkuIndicator.unit_id == unit.id)
    years = set(
        session.scalars(sa.select(IkuTarget.year).where(IkuTarget.indicator_id.in_(ids)))
    ) | set(session.scalars(sa.select(IkuRealisasi.year).where(IkuRealisasi.indicator_id.in_(ids))))
    return sorted(years)
