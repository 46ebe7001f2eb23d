"""Queries on the summary tables that give the same rows as the raw-response queries.

:mod:`skm.ikm` asks these when the summaries can answer (see
:func:`skm.ikm.summaries_serve`): each returns, per group, the respondent
count and Σ nilai and count per unsur, exactly what ``SUM(uNN)`` and
``COUNT(uNN)`` over the responses give, read from one row per day instead
of one per response. A set of periodes that are all whole months (every
triwulan, semester and tahun) is read from the month rows; any other range
of days from the day rows (:func:`narrow_table`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from questionnaires import Instrument
from skm.models import Unit
from skm.models.summaries import (
    DAY_TABLES,
    MONTH_TABLES,
    NO_LAYANAN,
    both_column,
    count_column,
    partial_column,
    product_column,
    sum_column,
)
from skm.periode import Periode
from skm.summaries.deltas import Layout, layout, layout_of
from skm.units import subtree_ids


def whole_months(periodes: Sequence[Periode]) -> bool:
    """Whether every periode starts and ends at a month boundary (triwulan, semester, tahun)."""
    return all(p.start.day == 1 and p.end.day == 1 for p in periodes)


def tables_for(periodes: Sequence[Periode]) -> tuple[sa.Table, sa.Table]:
    """(narrow, wide) summary tables that answer for ``periodes``: month rows where they
    are whole months, day rows otherwise."""
    return MONTH_TABLES if whole_months(periodes) else DAY_TABLES


def narrow_table(periodes: Sequence[Periode]) -> sa.Table:
    """The narrow table (respondents, Σ and counts) that answers for ``periodes``."""
    return tables_for(periodes)[0]


def answer_aggregates(instrument: Instrument, table: sa.Table) -> list[sa.ColumnElement[Any]]:
    summary = table.c
    columns: list[sa.ColumnElement[Any]] = [
        sa.func.coalesce(sa.func.sum(summary.respondents), 0).label("respondents")
    ]
    for unsur in instrument.unsur:
        columns.append(sa.func.sum(summary[sum_column(unsur.position + 1)]))
        columns.append(sa.func.coalesce(sa.func.sum(summary[count_column(unsur.position + 1)]), 0))
    return columns


def conditions(
    table: sa.Table,
    instrument: Instrument | None,
    periodes: Sequence[Periode],
    unit: Unit | None,
    include_subunits: bool,
    layanan_id: int | None,
) -> list[sa.ColumnElement[bool]]:
    """Rows of ``table`` of the instrument (None: of every one) on the days (or months)
    of ``periodes``, in the unit (subtree) and layanan."""
    rows = table.c
    found: list[sa.ColumnElement[bool]] = []
    if instrument is not None:
        found += [
            rows.instrument_key == instrument.key,
            rows.instrument_version == instrument.version,
        ]
    found += [rows.day >= min(p.start for p in periodes), rows.day < max(p.end for p in periodes)]
    if unit is not None:
        if include_subunits:
            subtree = subtree_ids(unit)
            found.append(rows.unit_id.in_(subtree))
        else:
            found.append(rows.unit_id == unit.id)
    if layanan_id is not None:
        found.append(rows.layanan_id == layanan_id)
    return found


def layanan_key(column: Any) -> sa.ColumnElement[Any]:
    """The layanan of a summary row as responses have it (NULL for none)."""
    return sa.func.nullif(column, NO_LAYANAN)


def periode_index(table: sa.Table, periodes: Sequence[Periode]) -> sa.ColumnElement[Any]:
    rows = table.c
    return sa.case(
        *((sa.and_(rows.day >= p.start, rows.day < p.end), i) for i, p in enumerate(periodes)),
        else_=-1,
    ).label("periode_index")


def has_respondents(table: sa.Table) -> sa.ColumnElement[bool]:
    """HAVING: groups whose responses were all removed again leave empty rows behind."""
    return sa.func.sum(table.c.respondents) > 0


@functools.lru_cache(maxsize=64)
def _detail_statement(
    key: str, version: int, unit: str, by_layanan: bool, part: str, months: bool
) -> sa.Select[Any]:
    """SELECT Σ of every detail column of an instrument, built once per shape of scope.

    Composing a select of a few hundred sums costs more than running it on a
    quarter's day rows, so the statement is kept and only its parameters vary.
    """
    names = _part(layout_of(key, version), part)
    wide = (MONTH_TABLES if months else DAY_TABLES)[1].c
    where: list[sa.ColumnElement[bool]] = [
        wide.instrument_key == key,
        wide.instrument_version == version,
        wide.day >= sa.bindparam("first_day", type_=sa.Date()),
        wide.day < sa.bindparam("end_day", type_=sa.Date()),
    ]
    if unit == "subtree":
        subtree = sa.select(Unit.id).where(
            Unit.path.startswith(sa.bindparam("unit_path", type_=sa.String()))
        )
        where.append(wide.unit_id.in_(subtree))
    elif unit == "unit":
        where.append(wide.unit_id == sa.bindparam("unit_id", type_=sa.Integer()))
    if by_layanan:
        where.append(wide.layanan_id == sa.bindparam("layanan_id", type_=sa.Integer()))
    sums = (sa.func.coalesce(sa.func.sum(wide[name]), 0) for name in names)
    return sa.select(*sums).where(*where)


def _part(found: Layout, part: str) -> tuple[str, ...]:
    """The profile columns (``part == "profile"``) or the pairwise ones."""
    profile = tuple(name for name in found.detail_columns if name.startswith("p"))
    return profile if part == "profile" else found.detail_columns[len(profile) :]


def detail_sums(
    connection: sa.Connection | Any,
    instrument: Instrument,
    part: str,
    periodes: Sequence[Periode],
    unit: Unit | None,
    include_subunits: bool,
    layanan_id: int | None,
) -> dict[str, int]:
    """Σ of the profile (``part == "profile"``) or pairwise (``"pairs"``) columns the
    instrument fills, over the days of ``periodes`` in the unit (subtree) and layanan.

    The profile needs 30 sums, the interval 150: each reads only its own.
    """
    shape = "all" if unit is None else "subtree" if include_subunits else "unit"
    by_layanan = layanan_id is not None
    statement = _detail_statement(
        instrument.key, instrument.version, shape, by_layanan, part, whole_months(periodes)
    )
    params: dict[str, Any] = {
        "first_day": min(p.start for p in periodes),
        "end_day": max(p.end for p in periodes),
    }
    if unit is not None:
        params["unit_path" if include_subunits else "unit_id"] = (
            unit.path if include_subunits else unit.id
        )
    if layanan_id is not None:
        params["layanan_id"] = layanan_id
    row = connection.execute(statement, params).one()
    names = _part(layout(instrument), part)
    return {name: int(value) for name, value in zip(names, row, strict=True)}


def pair_matrices(
    instrument: Instrument, sums: Sequence[int], counts: Sequence[int], totals: dict[str, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """XX, AA and XA (see scoring.interval_aggregates) from the detail sums."""
    found = layout(instrument)
    n = instrument.n_unsur
    xx = np.zeros((n, n), dtype=np.int64)
    aa = np.diag(np.asarray(counts, dtype=np.int64))
    xa = np.diag(np.asarray(sums, dtype=np.int64))
    for j, k in found.pairs_le:
        xx[j, k] = xx[k, j] = totals[product_column(j + 1, k + 1)]
    for j, k in found.pairs_lt:
        aa[j, k] = aa[k, j] = totals[both_column(j + 1, k + 1)]
    for j, k in found.pairs_ne:
        xa[j, k] = totals[partial_column(j + 1, k + 1)]
    return xx, aa, xa
