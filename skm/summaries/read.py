"""Queries on the summary tables that give the same rows as the raw-response queries.

:mod:`skm.ikm` asks these when the summaries can answer (see
:func:`skm.ikm.summaries_serve`): each returns, per group, the respondent
count and Σ nilai and count per unsur, exactly what ``SUM(uNN)`` and
``COUNT(uNN)`` over the responses give, read from one row per day instead
of one per response.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from questionnaires import Instrument
from skm.models import Unit
from skm.periode import Periode
from skm.summaries.deltas import layout
from skm.summaries.models import (
    NO_LAYANAN,
    both_column,
    count_column,
    partial_column,
    product_column,
    response_summary,
    response_summary_detail,
    sum_column,
)

SUMMARY = response_summary.c
DETAIL = response_summary_detail.c


def answer_aggregates(instrument: Instrument) -> list[sa.ColumnElement[Any]]:
    columns: list[sa.ColumnElement[Any]] = [
        sa.func.coalesce(sa.func.sum(SUMMARY.respondents), 0).label("respondents")
    ]
    for unsur in instrument.unsur:
        columns.append(sa.func.sum(SUMMARY[sum_column(unsur.position + 1)]))
        columns.append(sa.func.coalesce(sa.func.sum(SUMMARY[count_column(unsur.position + 1)]), 0))
    return columns


def conditions(
    table: Any,
    instrument: Instrument,
    periodes: Sequence[Periode],
    unit: Unit | None,
    include_subunits: bool,
    layanan_id: int | None,
) -> list[sa.ColumnElement[bool]]:
    """Rows of the instrument on the days of ``periodes`` in the unit (subtree) and layanan."""
    found: list[sa.ColumnElement[bool]] = [
        table.instrument_key == instrument.key,
        table.instrument_version == instrument.version,
        table.day >= min(p.start for p in periodes),
        table.day < max(p.end for p in periodes),
    ]
    if unit is not None:
        if include_subunits:
            found.append(table.unit_id.in_(sa.select(Unit.id).where(Unit.path.startswith(unit.path))))
        else:
            found.append(table.unit_id == unit.id)
    if layanan_id is not None:
        found.append(table.layanan_id == layanan_id)
    return found


def layanan_key(column: Any) -> sa.ColumnElement[Any]:
    """The layanan of a summary row as responses have it (NULL for none)."""
    return sa.func.nullif(column, NO_LAYANAN)


def periode_index(periodes: Sequence[Periode]) -> sa.ColumnElement[Any]:
    return sa.case(
        *((sa.and_(SUMMARY.day >= p.start, SUMMARY.day < p.end), i) for i, p in enumerate(periodes)),
        else_=-1,
    ).label("periode_index")


def has_respondents() -> sa.ColumnElement[bool]:
    """HAVING: groups whose responses were all removed again leave empty rows behind."""
    return sa.func.sum(SUMMARY.respondents) > 0


def detail_sums(
    connection: sa.Connection | Any,
    instrument: Instrument,
    where: list[sa.ColumnElement[bool]],
) -> dict[str, int]:
    """Σ of every detail column the instrument fills, over the rows ``where`` selects."""
    names = layout(instrument).detail_columns
    row = connection.execute(
        sa.select(*(sa.func.coalesce(sa.func.sum(DETAIL[name]), 0) for name in names)).where(*where)
    ).one()
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
