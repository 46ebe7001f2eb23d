"""Who answered: respondents by jenis kelamin, usia band, pendidikan and pekerjaan.

One ``GROUP BY`` over the four profile columns (usia turned into the
instrument's reporting bands by a ``CASE`` in SQL) gives a small cross
table; each field's counts are its margins. Responses are never read
into Python one by one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument, ProfileField
from skm.ikm import Scope, response_conditions, summaries_serve
from skm.models import SurveyResponse
from skm.models.summaries import profile_column
from skm.periode import Periode
from skm.summaries import read as summary
from skm.summaries.deltas import OTHER, layout

#: Profile fields kept in their own columns, in the order reports list them.
PROFILE_COLUMNS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")

NOT_GIVEN = "Tidak diisi"
#: Band key of an age outside every band of the instrument (bad import data).
OUT_OF_BANDS = "?"


@dataclass(frozen=True)
class ProfileRow:
    key: str | None
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class ProfileBreakdown:
    """Counts of one profile field; ``rows`` in the instrument's order, then unknown
    values, then "Tidak diisi" when some respondents left it blank."""

    key: str
    label: str
    rows: tuple[ProfileRow, ...]
    total: int
    #: Keys of the categories the instrument defines (options or bands).
    known_keys: tuple[str, ...] = ()


def _column(field: ProfileField) -> sa.ColumnElement[Any]:
    column = getattr(SurveyResponse, field.key)
    if field.kind == "integer" and field.bands:
        return sa.case(
            *((column.between(band.minimum, band.maximum), band.key) for band in field.bands),
            else_=sa.case((column.is_(None), None), else_=OUT_OF_BANDS),
        )
    return column  # type: ignore[no-any-return]


def _categories(field: ProfileField) -> list[tuple[str, str]]:
    if field.kind == "integer":
        return [(band.key, band.label) for band in field.bands]
    return [(option.key, option.label) for option in field.options]


def profile_breakdowns(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    scope: Scope,
) -> tuple[ProfileBreakdown, ...]:
    """Respondent counts per category of each annex profile field, in one query."""
    fields = [
        field
        for key in PROFILE_COLUMNS
        if (field := instrument.profile_field(key)) is not None
        and (field.kind == "choice" or field.bands)
    ]
    if not fields:
        return ()
    counted = _summary_margins(session, instrument, periode, tz, scope, fields)
    margins, total = (
        counted
        if counted is not None
        else _raw_margins(session, instrument, periode, tz, scope, fields)
    )
    breakdowns = []
    for field, counts in zip(fields, margins, strict=True):
        rows: list[tuple[str | None, str, int]] = []
        known = _categories(field)
        for key, label in known:
            rows.append((key, label, counts.pop(key, 0)))
        blank = counts.pop(None, 0)
        for key in sorted(str(k) for k in counts):
            label = "Di luar kelompok" if key == OUT_OF_BANDS else f"Lainnya ({key})"
            rows.append((key, label, counts[key]))
        if blank:
            rows.append((None, NOT_GIVEN, blank))
        breakdowns.append(
            ProfileBreakdown(
                field.key,
                field.label,
                tuple(
                    ProfileRow(key, label, count, 100 * count / total if total else 0.0)
                    for key, label, count in rows
                ),
                total,
                tuple(key for key, _ in known),
            )
        )
    return tuple(breakdowns)


def _raw_margins(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    scope: Scope,
    fields: list[ProfileField],
) -> tuple[list[Counter[str | None]], int]:
    columns = [_column(field).label(field.key) for field in fields]
    query = (
        sa.select(*columns, sa.func.count())
        .where(*response_conditions(instrument, [periode], tz, scope))
        .group_by(*columns)
    )
    margins: list[Counter[str | None]] = [Counter() for _ in fields]
    total = 0
    for row in session.execute(query):  # one row per combination, at most a few hundred
        count = int(row[-1])
        total += count
        for i in range(len(fields)):
            margins[i][row[i]] += count
    return margins, total


def _summary_margins(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    scope: Scope,
    fields: list[ProfileField],
) -> tuple[list[Counter[str | None]], int] | None:
    """The margins from the summaries' category counts; None when the raw rows must tell
    (summaries not usable here, or values outside the instrument's options, which
    the breakdown names one by one)."""
    slots = layout(instrument).profile_slots
    if not slots or not summaries_serve(tz, scope):
        return None
    counts = summary.detail_sums(
        session, instrument, "profile", [periode], scope.unit, scope.include_subunits,
        scope.layanan_id,
    )  # fmt: skip
    position = {field.key: i for i, field in enumerate(fields)}
    margins: list[Counter[str | None]] = [Counter() for _ in fields]
    for slot, (key, category) in enumerate(slots, start=1):
        count = counts[profile_column(slot)]
        if key not in position or not count:
            continue
        if category == OTHER and fields[position[key]].kind == "choice":
            return None
        margins[position[key]][category] += count
    # Every respondent counts once in each field (a category, blank or other).
    total = sum(margins[0].values()) if margins else 0
    return margins, total
