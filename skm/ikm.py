"""IKM from the database: SQL does Σ nilai and counts, ``scoring`` the rest.

Every query here returns one row per group with, for each unsur, the sum of
the answers and the number of answers filled in (``SUM(uNN)``, ``COUNT(uNN)``
skip blanks, exactly as the regulation's NRR wants). No response row is
ever pulled into Python; ``scoring.score_groups`` turns the aggregates into
NRR, IKM, konversi and mutu for all groups at once, so a per-layanan score
is computed the same way as the per-unit score.
"""

from __future__ import annotations

import contextvars
import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument
from scoring import GroupedIkm, IkmResult, KonversiInterval, score_groups
from scoring.interval_aggregates import (
    InfluenceCoefficients,
    influence_coefficients,
    influence_sums_from_products,
    konversi_interval_from_influence,
)
from skm.models import SurveyResponse, Unit, answer_column_name
from skm.periode import Periode
from skm.summaries import read as summary
from skm.summaries import summary_timezone
from skm.units import in_subtree, subtree_condition, subtree_ids


@dataclass(frozen=True)
class Scope:
    """Which responses count: a unit (with or without sub-units), a layanan.

    ``unit=None`` means every unit in the database.
    """

    unit: Unit | None = None
    include_subunits: bool = True
    layanan_id: int | None = None
    include_excluded: bool = False


_RAW_ROWS: contextvars.ContextVar[bool] = contextvars.ContextVar("skm_raw_rows", default=False)


@contextmanager
def reading_raw_rows() -> Iterator[None]:
    """Score from the raw responses inside this block (baselines, checks)."""
    token = _RAW_ROWS.set(True)
    try:
        yield
    finally:
        _RAW_ROWS.reset(token)


def summaries_serve(tz: ZoneInfo, scope: Scope) -> bool:
    """Whether the summary tables can answer for ``scope`` in ``tz``.

    They hold counted responses only, cut into days of the office's zone:
    a scope with excluded responses, or another zone, reads the raw rows.
    Every periode is a range of whole days, so any periode can be served.
    """
    return not (_RAW_ROWS.get() or scope.include_excluded) and tz.key == summary_timezone().key


def _summary_conditions(
    table: sa.Table, instrument: Instrument | None, periodes: Sequence[Periode], scope: Scope
) -> list[sa.ColumnElement[bool]]:
    return summary.conditions(
        table, instrument, periodes, scope.unit, scope.include_subunits, scope.layanan_id
    )


@dataclass(frozen=True)
class GroupedScores:
    """Scores of several groups: ``keys[i]`` is the group of ``scores.group(i)``."""

    keys: tuple[Any, ...]
    respondents: tuple[int, ...]
    scores: GroupedIkm

    def result(self, key: Any) -> IkmResult | None:
        """The scoring of one group, or None if it has no responses or cannot be scored."""
        try:
            index = self.keys.index(key)
        except ValueError:
            return None
        if not bool(self.scores.scorable[index]):
            return None
        return self.scores.group(index)

    def items(self) -> list[tuple[Any, IkmResult | None]]:
        return [(key, self.result(key)) for key in self.keys]


def _answer_aggregates(instrument: Instrument) -> list[sa.ColumnElement[Any]]:
    columns: list[sa.ColumnElement[Any]] = [sa.func.count().label("respondents")]
    for unsur in instrument.unsur:
        column = getattr(SurveyResponse, answer_column_name(unsur.position))
        columns.append(sa.func.sum(column))
        columns.append(sa.func.count(column))
    return columns


def _conditions(
    instrument: Instrument | None, periodes: Sequence[Periode], tz: ZoneInfo, scope: Scope
) -> list[sa.ColumnElement[bool]]:
    """Which responses count; ``instrument=None``: those of every instrument."""
    conditions: list[sa.ColumnElement[bool]] = []
    if instrument is not None:
        conditions += [
            SurveyResponse.instrument_key == instrument.key,
            SurveyResponse.instrument_version == instrument.version,
        ]
    bounds = [periode.utc_bounds(tz) for periode in periodes]
    start = min(lower for lower, _ in bounds)
    end = max(upper for _, upper in bounds)
    conditions += [SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end]
    if not scope.include_excluded:
        conditions.append(SurveyResponse.excluded.is_(False))
    if scope.unit is not None:
        if scope.include_subunits:
            subunits = subtree_ids(scope.unit)
            # Served by ix_response_unit_scoring, which covers the query: one
            # index range per unit of the subtree, no table rows read.
            conditions.append(SurveyResponse.unit_id.in_(subunits))
        else:
            conditions.append(SurveyResponse.unit_id == scope.unit.id)
    if scope.layanan_id is not None:
        conditions.append(SurveyResponse.layanan_id == scope.layanan_id)
    return conditions


def _to_grouped(
    instrument: Instrument, keys: list[Any], rows: Sequence[Sequence[Any]]
) -> GroupedScores:
    n_unsur = instrument.n_unsur
    if rows:
        # None (no answer at all in the group) becomes 0; such a group is
        # marked not scorable by scoring.score_groups.
        table = np.array(
            [[0 if value is None else int(value) for value in row] for row in rows],
            dtype=np.int64,
        )
    else:
        table = np.zeros((0, 1 + 2 * n_unsur), dtype=np.int64)
    respondents = table[:, 0]
    sums = table[:, 1::2]
    counts = table[:, 2::2]
    scores = score_groups(sums, counts, instrument.grade_scale, respondents=respondents)
    return GroupedScores(tuple(keys), tuple(int(r) for r in respondents), scores)


def score(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    scope: Scope = Scope(),
) -> IkmResult | None:
    """The IKM of one periode and scope; None when nothing can be scored yet."""
    if summaries_serve(tz, scope):
        table = summary.narrow_table([periode])
        query = sa.select(*summary.answer_aggregates(instrument, table)).where(
            *_summary_conditions(table, instrument, [periode], scope)
        )
    else:
        query = sa.select(*_answer_aggregates(instrument)).where(
            *_conditions(instrument, [periode], tz, scope)
        )
    row = session.execute(query).one()
    if not row[0]:
        return None
    return _to_grouped(instrument, [None], [row]).result(None)


def score_by(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    by: Literal["unit", "layanan", "channel"],
    scope: Scope = Scope(),
) -> GroupedScores:
    """Scores per unit, per layanan or per channel within one periode, one query.

    The summaries have no channel: per channel is counted on the raw rows.
    """
    if by != "channel" and summaries_serve(tz, scope):
        table = summary.narrow_table([periode])
        column = table.c.unit_id if by == "unit" else table.c.layanan_id
        found = session.execute(
            sa.select(column, *summary.answer_aggregates(instrument, table))
            .where(*_summary_conditions(table, instrument, [periode], scope))
            .group_by(column)
            .having(summary.has_respondents(table))
            .order_by(column)
        ).all()
        if by == "layanan":
            # As ORDER BY layanan_id on the raw rows: NULL first on SQLite, last on PostgreSQL.
            nulls_first = session.get_bind().dialect.name == "sqlite"
            keyed = [(None if row[0] == 0 else row[0], row[1:]) for row in found]
            keyed.sort(key=lambda item: (item[0] is None) != nulls_first)
        else:
            keyed = [(row[0], row[1:]) for row in found]
        return _to_grouped(instrument, [k for k, _ in keyed], [r for _, r in keyed])
    key_column = {
        "unit": SurveyResponse.unit_id,
        "layanan": SurveyResponse.layanan_id,
        "channel": SurveyResponse.channel,
    }[by]
    query = (
        sa.select(key_column, *_answer_aggregates(instrument))
        .where(*_conditions(instrument, [periode], tz, scope))
        .group_by(key_column)
        .order_by(key_column)
    )
    rows = session.execute(query).all()
    return _to_grouped(instrument, [row[0] for row in rows], [row[1:] for row in rows])


def score_periodes(
    session: Session,
    instrument: Instrument,
    periodes: Sequence[Periode],
    tz: ZoneInfo,
    scope: Scope = Scope(),
) -> GroupedScores:
    """Scores of several periodes (a trend) in one query; keys are the periode codes.

    Periodes must not overlap: each response is counted in the first one
    whose UTC range holds it.
    """
    if not periodes:
        raise ValueError("Minimal satu periode diperlukan.")
    if summaries_serve(tz, scope):
        table = summary.narrow_table(periodes)
        ordered = sorted(periodes)
        if all(a.end <= b.start for a, b in itertools.pairwise(ordered)):
            # One range scan of the summary rows per periode: grouping by a CASE on
            # the day would sort every row of the trend first (SQLite).
            found: dict[int, Sequence[Any]] = {}
            for i, periode in enumerate(periodes):
                row = session.execute(
                    sa.select(*summary.answer_aggregates(instrument, table)).where(
                        *_summary_conditions(table, instrument, [periode], scope)
                    )
                ).one()
                if row[0]:
                    found[i] = row
        else:
            which = summary.periode_index(table, periodes)
            rows = session.execute(
                sa.select(which, *summary.answer_aggregates(instrument, table))
                .where(*_summary_conditions(table, instrument, periodes, scope))
                .group_by(which)
                .having(summary.has_respondents(table))
            ).all()
            found = {row[0]: row[1:] for row in rows if row[0] >= 0}
        present = [i for i in range(len(periodes)) if i in found]
        return _to_grouped(
            instrument, [periodes[i].code for i in present], [found[i] for i in present]
        )
    branches = []
    for index, periode in enumerate(periodes):
        start, end = periode.utc_bounds(tz)
        branches.append(
            (
                sa.and_(SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end),
                index,
            )
        )
    periode_index = sa.case(*branches, else_=-1).label("periode_index")
    query = (
        sa.select(periode_index, *_answer_aggregates(instrument))
        .where(*_conditions(instrument, periodes, tz, scope))
        .group_by(periode_index)
    )
    found = {row[0]: row[1:] for row in session.execute(query).all() if row[0] >= 0}
    present = [i for i in range(len(periodes)) if i in found]
    return _to_grouped(instrument, [periodes[i].code for i in present], [found[i] for i in present])


def instrument_versions(
    session: Session, periodes: Sequence[Periode], tz: ZoneInfo, scope: Scope = Scope()
) -> list[tuple[str, int]]:
    """(key, version) of every instrument with counted responses in ``scope`` and
    ``periodes``, in key order: from the summary rows when they serve (a kabupaten's
    10,000,000 responses are not scanned to find the one or two instruments)."""
    if summaries_serve(tz, scope):
        table = summary.narrow_table(periodes)
        query = (
            sa.select(table.c.instrument_key, table.c.instrument_version)
            .where(*_summary_conditions(table, None, periodes, scope))
            .group_by(table.c.instrument_key, table.c.instrument_version)
            .having(summary.has_respondents(table))
        )
    else:
        query = (
            sa.select(SurveyResponse.instrument_key, SurveyResponse.instrument_version)
            .where(*_conditions(None, periodes, tz, scope))
            .distinct()
        )
    rows = session.execute(query).all()
    return sorted((str(key), int(version)) for key, version in rows)


def response_conditions(
    instrument: Instrument, periodes: Sequence[Periode], tz: ZoneInfo, scope: Scope = Scope()
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions every score uses, for queries that count responses another way
    (respondent profiles, cache keys) and must see exactly the same responses."""
    return _conditions(instrument, periodes, tz, scope)


@dataclass(frozen=True)
class UnitLayananAggregates:
    """Respondents, Σ nilai and counts per unsur for each (unit, layanan) of one periode.

    One ``GROUP BY unit_id, layanan_id`` gives every breakdown the dashboard
    shows: sums and counts are integers and add exactly, so rolling the rows
    up (per layanan, per sub-unit subtree) and scoring them with
    ``scoring.score_groups`` gives the same numbers as a query per group.
    """

    instrument: Instrument
    keys: tuple[tuple[int, int | None], ...]
    table: np.ndarray[Any, np.dtype[np.int64]]

    def roll_up(self, key_of: Callable[[tuple[int, int | None]], Any]) -> GroupedScores:
        """Scores per ``key_of((unit_id, layanan_id))``; rows mapped to ``LEAVE_OUT`` are not
        counted. Groups come in ascending key order, None last."""
        targets = [key_of(key) for key in self.keys]
        groups = sorted({t for t in targets if t is not LEAVE_OUT}, key=_sort_key)
        index = {group: i for i, group in enumerate(groups)}
        rolled = np.zeros((len(groups), self.table.shape[1]), dtype=np.int64)
        for row, target in enumerate(targets):  # one row per (unit, layanan), not per response
            if target is not LEAVE_OUT:
                rolled[index[target]] += self.table[row]
        return _to_grouped(self.instrument, groups, rolled.tolist())

    def by_layanan(self) -> GroupedScores:
        """Scores per layanan id (None: responses without a layanan)."""
        return self.roll_up(lambda key: key[1])

    def by_subunit(self, parent: Unit, units: Sequence[Unit]) -> GroupedScores:
        """Scores per child of ``parent``, each with its own sub-units rolled up.

        Keys are child unit ids; responses given at ``parent`` itself are
        keyed by ``parent.id``. ``units`` must hold every unit that has
        responses here (the subtree of ``parent``).
        """
        children = [u for u in units if u.parent_id == parent.id]
        owner: dict[int, int] = {}
        for unit in units:
            if unit.id == parent.id:
                owner[unit.id] = parent.id
                continue
            for child in children:
                if in_subtree(unit, child):
                    owner[unit.id] = child.id
        return self.roll_up(lambda key: owner.get(key[0], LEAVE_OUT))


#: What a roll-up key function returns for rows that belong to no group.
LEAVE_OUT: Any = object()


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, value) if value is not None else (1, 0)


def unit_layanan_aggregates(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    scope: Scope = Scope(),
) -> UnitLayananAggregates:
    """The SQL aggregates of one periode per (unit, layanan), in one query."""
    if summaries_serve(tz, scope):
        table = summary.narrow_table([periode])
        layanan = summary.layanan_key(table.c.layanan_id)
        query = (
            sa.select(table.c.unit_id, layanan, *summary.answer_aggregates(instrument, table))
            .where(*_summary_conditions(table, instrument, [periode], scope))
            .group_by(table.c.unit_id, table.c.layanan_id)
            .having(summary.has_respondents(table))
        )
    else:
        query = (
            sa.select(
                SurveyResponse.unit_id, SurveyResponse.layanan_id, *_answer_aggregates(instrument)
            )
            .where(*_conditions(instrument, [periode], tz, scope))
            .group_by(SurveyResponse.unit_id, SurveyResponse.layanan_id)
        )
    rows = session.execute(query).all()
    n_columns = 1 + 2 * instrument.n_unsur
    sums = np.array(
        [[0 if value is None else int(value) for value in row[2:]] for row in rows],
        dtype=np.int64,
    ).reshape(len(rows), n_columns)
    return UnitLayananAggregates(instrument, tuple((row[0], row[1]) for row in rows), sums)


def score_by_subunit(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    scope: Scope,
) -> GroupedScores:
    """Scores of each child of ``scope.unit`` with its own sub-units rolled up, side by side.

    Keys are child unit ids, plus ``scope.unit.id`` for responses given at
    the unit itself (the kantor kecamatan, say, next to its kelurahan).
    """
    if scope.unit is None:
        raise ValueError("Perbandingan sub-unit memerlukan unit induk.")
    units = session.scalars(sa.select(Unit).where(subtree_condition(scope.unit))).all()
    aggregates = unit_layanan_aggregates(
        session, instrument, periode, tz, Scope(scope.unit, True, scope.layanan_id,
                                                scope.include_excluded)
    )  # fmt: skip
    return aggregates.by_subunit(scope.unit, units)


def influence_sums(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    scope: Scope,
    coefficients: InfluenceCoefficients,
) -> tuple[float, float]:
    """Σ z_r and Σ z_r² over the responses of ``scope`` (see scoring.interval_aggregates).

    A second pass over the same responses as the score: the centres are the
    NRR the first pass found. A blank answer adds nothing to z_r.
    """
    influence: sa.ColumnElement[Any] = sa.literal(0.0, sa.Float)
    for unsur in instrument.unsur:
        column = getattr(SurveyResponse, answer_column_name(unsur.position))
        centre = sa.literal(coefficients.centre[unsur.position], sa.Float)
        weight = sa.literal(coefficients.weight[unsur.position], sa.Float)
        influence = influence + sa.func.coalesce((column - centre) * weight, 0.0)
    inner = (
        sa.select(influence.label("z"))
        .where(*_conditions(instrument, [periode], tz, scope))
        .subquery()
    )
    row = session.execute(
        sa.select(sa.func.sum(inner.c.z), sa.func.sum(inner.c.z * inner.c.z))
    ).one()
    return float(row[0] or 0.0), float(row[1] or 0.0)


def score_interval(
    session: Session,
    instrument: Instrument,
    periode: Periode,
    tz: ZoneInfo,
    scope: Scope,
    result: IkmResult,
    *,
    population: int | None = None,
    level: float = 0.95,
) -> KonversiInterval | None:
    """The confidence interval of ``result`` (the score of this periode and scope).

    Computed from SQL sums, never from respondent rows, so it costs one more
    pass over the responses however many there are. None with fewer than
    two respondents. ``population`` below the number of respondents raises
    ValueError (the caller says so to the user).
    """
    n = result.respondents or 0
    if n < 2:
        return None
    sums = [u.sum for u in result.unsur]
    counts = [u.count for u in result.unsur]
    if summaries_serve(tz, scope):
        detail = summary.detail_sums(
            session, instrument, "pairs", [periode], scope.unit, scope.include_subunits,
            scope.layanan_id,
        )  # fmt: skip
        xx, aa, xa = summary.pair_matrices(instrument, sums, counts, detail)
        total, squares = influence_sums_from_products(sums, counts, n, xx, aa, xa)
    else:
        coefficients = influence_coefficients(sums, counts, n, instrument.grade_scale)
        total, squares = influence_sums(session, instrument, periode, tz, scope, coefficients)
    return konversi_interval_from_influence(
        sums, counts, n, total, squares, instrument.grade_scale,
        population=population, level=level,
    )  # fmt: skip
