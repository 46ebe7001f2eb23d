"""What a set of responses adds to (or takes from) the summary rows.

A response is turned into one vector per table: its key (instrument, local
day, unit, layanan) and the integers it contributes (1 respondent, its
answers and answer flags, its profile category, the pairwise products).
Vectors of many responses are summed per key with numpy, so an import of
thousands of rows costs a few array operations and one upsert per day row.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from questionnaires import Instrument, ProfileField, get_instrument
from skm.models import answer_column_name
from skm.models.summaries import (
    NO_LAYANAN,
    PROFILE_SLOTS,
    both_column,
    count_column,
    partial_column,
    product_column,
    profile_column,
    sum_column,
)

#: Profile fields the summaries count (the annex fields the dashboard shows).
PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
#: Category of a blank profile field, and of a value outside every option or band.
BLANK = None
OTHER = "?"

Key = tuple[str, int, date, int, int]
#: What a change adds per key: the layout and the narrow and wide rows' values.
Deltas = dict[Key, tuple["Layout", Sequence[int], Sequence[int]]]
#: Rows are summed in chunks: the pairwise products of 50,000 rows fit in memory.
CHUNK = 50_000


def summary_fields(instrument: Instrument) -> list[ProfileField]:
    """The profile fields counted per category (choice fields, banded integers)."""
    return [
        field
        for key in PROFILE_FIELDS
        if (field := instrument.profile_field(key)) is not None
        and (field.kind == "choice" or field.bands)
    ]


def categories(field: ProfileField) -> list[str | None]:
    keys: list[str | None] = [option.key for option in field.options]
    keys += [band.key for band in field.bands]
    return [*keys, BLANK, OTHER]


def category_of(field: ProfileField, value: Any) -> str | None:
    """The category a stored profile value counts in."""
    if value is None:
        return BLANK
    if field.kind == "integer":
        band = field.band_for(int(value))
        return band.key if band is not None else OTHER
    return str(value) if field.option_by_key(str(value)) is not None else OTHER


@dataclass(frozen=True)
class Layout:
    """Which summary columns an instrument fills, and what each profile slot counts."""

    instrument: Instrument
    main_columns: tuple[str, ...]
    detail_columns: tuple[str, ...]
    #: (field key, category) per profile slot p01.., or () when they do not fit.
    profile_slots: tuple[tuple[str, str | None], ...]
    pairs_le: tuple[tuple[int, int], ...]  # 0-based (j, k), j <= k
    pairs_lt: tuple[tuple[int, int], ...]  # j < k
    pairs_ne: tuple[tuple[int, int], ...]  # j != k


@functools.lru_cache(maxsize=32)
def _layout(key: str, version: int) -> Layout:
    return layout(get_instrument(key, version))


def layout_of(key: str, version: int) -> Layout:
    return _layout(key, version)


def layout(instrument: Instrument) -> Layout:
    n = instrument.n_unsur
    slots = [
        (field.key, category)
        for field in summary_fields(instrument)
        for category in categories(field)
    ]
    if len(slots) > PROFILE_SLOTS:
        slots = []
    positions = range(n)
    pairs_le = tuple((j, k) for j in positions for k in positions if j <= k)
    pairs_lt = tuple((j, k) for j in positions for k in positions if j < k)
    pairs_ne = tuple((j, k) for j in positions for k in positions if j != k)
    main = ("respondents", *(sum_column(j + 1) for j in positions),
            *(count_column(j + 1) for j in positions))  # fmt: skip
    detail = (
        *(profile_column(p + 1) for p in range(len(slots))),
        *(product_column(j + 1, k + 1) for j, k in pairs_le),
        *(both_column(j + 1, k + 1) for j, k in pairs_lt),
        *(partial_column(j + 1, k + 1) for j, k in pairs_ne),
    )
    return Layout(instrument, main, detail, tuple(slots), pairs_le, pairs_lt, pairs_ne)


def row_key(row: Mapping[str, Any], tz: ZoneInfo) -> Key:
    layanan = row.get("layanan_id")
    return (
        row["instrument_key"],
        int(row["instrument_version"]),
        row["submitted_at"].astimezone(tz).date(),
        int(row["unit_id"]),
        NO_LAYANAN if layanan is None else int(layanan),
    )


def vectors(
    layout: Layout, rows: Sequence[Mapping[str, Any]]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per row: the main vector (respondents, Σ, counts) and the detail vector."""
    instrument = layout.instrument
    n = instrument.n_unsur
    raw = np.array(
        [[row.get(answer_column_name(j)) for j in range(n)] for row in rows], dtype=object
    ).reshape(len(rows), n)
    answered = (raw != None).astype(np.int64)  # noqa: E711 (elementwise on objects)
    x = np.where(answered == 1, raw, 0).astype(np.int64)
    main = np.concatenate([np.ones((len(rows), 1), dtype=np.int64), x, answered], axis=1)

    profile = np.zeros((len(rows), len(layout.profile_slots)), dtype=np.int64)
    if layout.profile_slots:
        index = {slot: i for i, slot in enumerate(layout.profile_slots)}
        for field in summary_fields(instrument):
            for r, row in enumerate(rows):
                profile[r, index[(field.key, category_of(field, row.get(field.key)))]] = 1
    le = np.array(layout.pairs_le, dtype=np.int64).reshape(-1, 2)
    lt = np.array(layout.pairs_lt, dtype=np.int64).reshape(-1, 2)
    ne = np.array(layout.pairs_ne, dtype=np.int64).reshape(-1, 2)
    detail = np.concatenate(
        [
            profile,
            x[:, le[:, 0]] * x[:, le[:, 1]],
            answered[:, lt[:, 0]] * answered[:, lt[:, 1]],
            x[:, ne[:, 0]] * answered[:, ne[:, 1]],
        ],
        axis=1,
    )
    return main, detail


def single(layout: Layout, row: Mapping[str, Any], sign: int) -> tuple[list[int], list[int]]:
    """:func:`vectors` of one row in plain Python: a kiosk delivery is one row, and
    numpy's set-up costs more than the arithmetic."""
    instrument = layout.instrument
    raw = [row.get(answer_column_name(j)) for j in range(instrument.n_unsur)]
    a = [0 if value is None else sign for value in raw]
    x = [0 if value is None else sign * int(value) for value in raw]
    main = [sign, *x, *a]
    detail = [0] * len(layout.profile_slots)
    if layout.profile_slots:
        index = {slot: i for i, slot in enumerate(layout.profile_slots)}
        for field in summary_fields(instrument):
            detail[index[(field.key, category_of(field, row.get(field.key)))]] = sign
    # Products of two signed terms: one factor keeps the sign.
    positive = [0 if value is None else int(value) for value in raw]
    answered = [0 if value is None else 1 for value in raw]
    detail += [x[j] * positive[k] for j, k in layout.pairs_le]
    detail += [a[j] * answered[k] for j, k in layout.pairs_lt]
    detail += [x[j] * answered[k] for j, k in layout.pairs_ne]
    return main, detail


def summed(rows: Sequence[Mapping[str, Any]], tz: ZoneInfo, sign: int) -> Deltas:
    """``sign`` x the contribution of the counted ``rows`` (not excluded), per key."""
    if len(rows) == 1:
        row = rows[0]
        if row.get("excluded"):
            return {}
        layout = layout_of(row["instrument_key"], int(row["instrument_version"]))
        return {row_key(row, tz): (layout, *single(layout, row, sign))}
    by_instrument: dict[tuple[str, int], list[Mapping[str, Any]]] = {}
    for row in rows:
        if not row.get("excluded"):
            ident = (row["instrument_key"], int(row["instrument_version"]))
            by_instrument.setdefault(ident, []).append(row)
    totals: dict[Key, tuple[Layout, npt.NDArray[np.int64], npt.NDArray[np.int64]]] = {}
    for (instrument_key, version), members in by_instrument.items():
        layout = layout_of(instrument_key, version)
        for start in range(0, len(members), CHUNK):
            chunk = members[start : start + CHUNK]
            keys = [row_key(row, tz) for row in chunk]
            distinct = sorted(set(keys))
            group = {k: i for i, k in enumerate(distinct)}
            index = np.array([group[k] for k in keys], dtype=np.int64)
            main, detail = vectors(layout, chunk)
            main_sums = np.zeros((len(distinct), main.shape[1]), dtype=np.int64)
            detail_sums = np.zeros((len(distinct), detail.shape[1]), dtype=np.int64)
            np.add.at(main_sums, index, main)
            np.add.at(detail_sums, index, detail)
            for i, k in enumerate(distinct):
                main_row, detail_row = sign * main_sums[i], sign * detail_sums[i]
                if k in totals:
                    _, old_main, old_detail = totals[k]
                    main_row, detail_row = main_row + old_main, detail_row + old_detail
                totals[k] = (layout, main_row, detail_row)
    return {k: (found, m.tolist(), d.tolist()) for k, (found, m, d) in totals.items()}


def month_key(key: Key) -> Key:
    """The month row a day row adds to: the same key with the month's first day."""
    return (key[0], key[1], key[2].replace(day=1), key[3], key[4])


def by_month(days: Deltas) -> Deltas:
    """Day totals added up per month (integers: exactly what the days hold together)."""
    months: Deltas = {}
    for key, (found, main, detail) in days.items():
        month = month_key(key)
        if month in months:
            _, old_main, old_detail = months[month]
            main = [a + b for a, b in zip(old_main, main, strict=True)]
            detail = [a + b for a, b in zip(old_detail, detail, strict=True)]
        months[month] = (found, main, detail)
    return months
