"""IKM from the database: SQL does Σ nilai and counts, ``scoring`` the rest.

Every query here returns one row per group with, for each unsur, the sum of
the answers and the number of answers filled in (``SUM(uNN)``, ``COUNT(uNN)``
skip blanks, exactly as the regulation's NRR wants). No response row is
ever pulled into Python; ``scoring.score_groups`` turns the aggregates into
NRR, IKM, konversi and mutu for all groups at once, so a per-layanan score
is computed the same way as the per-unit score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument
from scoring import GroupedIkm, IkmResult, score_groups
from skm.models import Response, Unit, answer_column_name
from skm.periode import Periode

GroupBy = Literal["unit", "layanan", "channel", "periode"]


@dataclass(frozen=True)
class Scope:
    """Which responses count: a unit (with or without sub-units), a layanan.

    ``unit=None`` means every unit in the database.
    """

    unit: Unit | None = None
    include_subunits: bool = True
    layanan_id: int | None = None
    include_excluded: bool = False


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
        column = getattr(Response, answer_column_name(unsur.position))
        columns.append(sa.func.sum(column))
        columns.append(sa.func.count(column))
    return columns


def _conditions(
    instrument: Instrument, periodes: Sequence[Periode], tz: ZoneInfo, scope: Scope
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [
        Response.instrument_key == instrument.key,
        Response.instrument_version == instrument.version,
    ]
    bounds = [periode.utc_bounds(tz) for periode in periodes]
    start = min(lower for lower, _ in bounds)
    end = max(upper for _, upper in bounds)
    conditions += [Response.submitted_at >= start, Response.submitted_at < end]
    if not scope.include_excluded:
        conditions.append(Response.excluded.is_(False))
    if scope.unit is not None:
        if scope.include_subunits:
            subunits = sa.select(Unit.id).where(Unit.path.startswith(scope.unit.path))
            conditions.append(Response.unit_id.in_(subunits))
        else:
            conditions.append(Response.unit_id == scope.unit.id)
    if scope.layanan_id is not None:
        conditions.append(Response.layanan_id == scope.layanan_id)
    return conditions


def _to_grouped(
    instrument: Instrument, keys: list[Any], rows: Sequence[sa.Row[Any]]
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
    """Scores per unit, per layanan or per channel within one periode, one query."""
    key_column = {
        "unit": Response.unit_id,
        "layanan": Response.layanan_id,
        "channel": Response.channel,
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
    branches = []
    for index, periode in enumerate(periodes):
        start, end = periode.utc_bounds(tz)
        branches.append(
            (sa.and_(Response.submitted_at >= start, Response.submitted_at < end), index)
        )
    periode_index = sa.case(*branches, else_=-1).label("periode_index")
    query = (
        sa.select(periode_index, *_answer_aggregates(instrument))
        .where(*_conditions(instrument, periodes, tz, scope))
        .group_by(periode_index)
    )
    found = {row[0]: row[1:] for row in session.execute(query).all() if row[0] >= 0}
    present = [i for i in range(len(periodes)) if i in found]
    return _to_grouped(
        instrument, [periodes[i].code for i in present], [found[i] for i in present]
    )
