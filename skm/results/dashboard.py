"""What the dashboard shows, computed from SQL aggregates.

Every number comes from :mod:`skm.ikm` (SQL sums and counts handed to
``scoring.score_groups``) and :mod:`skm.results.profiles` (SQL ``GROUP
BY``). Read from the summary tables (:mod:`skm.summaries`) that is a few
passes over one row per unit, layanan and day, cheap enough to do on every
visit: the numbers are always those of the last response, and a chart is
drawn again only when its own numbers changed (charts are cached by the
digest of what they show, :mod:`skm.results.charts`). Where the raw rows
must be read instead (another time zone than the summaries'), the numbers
are kept in memory under a key that changes whenever the responses do
(:func:`data_version`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument, Unsur, registry
from scoring import IkmResult, KonversiInterval, SampleAdequacy, UnsurScore, sample_adequacy
from skm.formatting import format_number
from skm.ikm import (
    GroupedScores,
    Scope,
    UnitLayananAggregates,
    response_conditions,
    score,
    score_interval,
    score_periodes,
    summaries_serve,
    unit_layanan_aggregates,
)
from skm.models import Layanan, SurveyResponse, Unit
from skm.periode import Periode, trend_periodes
from skm.results.cache import app_cache
from skm.results.population import PopulationFigure, population_for
from skm.results.profiles import ProfileBreakdown, profile_breakdowns
from skm.results.targets import iku_targets
from skm.units import subtree_condition

#: How many of the weakest unsur the dashboard marks as priorities.
PRIORITAS_COUNT = 3

NUMBERS_CACHE_SIZE = 64


@dataclass(frozen=True)
class Selection:
    """What the user chose: unit, periode, layanan, and whether sub-units roll up."""

    unit: Unit
    periode: Periode
    layanan_id: int | None = None
    include_subunits: bool = True

    @property
    def scope(self) -> Scope:
        return Scope(self.unit, self.include_subunits, self.layanan_id)

    @property
    def breakdown_scope(self) -> Scope:
        """The scope of the per-layanan and per-sub-unit tables (every layanan)."""
        return Scope(self.unit, self.include_subunits)

    @property
    def key(self) -> tuple[object, ...]:
        return (self.unit.id, self.include_subunits, self.layanan_id, self.periode.code)


@dataclass(frozen=True)
class PeriodeNumbers:
    """Everything about the chosen periode itself that scans its responses."""

    result: IkmResult | None
    breakdown: UnitLayananAggregates
    profiles: tuple[ProfileBreakdown, ...]
    interval: KonversiInterval | None
    interval_note: str | None


@dataclass(frozen=True)
class DashboardNumbers:
    """The expensive part of the dashboard: the chosen periode and the periodes before it.

    The two parts are cached apart: a new response of this triwulan must not
    cost the recomputation of the seven before it, which have not changed.
    """

    current_code: str
    current: PeriodeNumbers
    past: GroupedScores

    def result(self, code: str) -> IkmResult | None:
        if code == self.current_code:
            return self.current.result
        return self.past.result(code)

    @property
    def breakdown(self) -> UnitLayananAggregates:
        return self.current.breakdown

    @property
    def profiles(self) -> tuple[ProfileBreakdown, ...]:
        return self.current.profiles

    @property
    def interval(self) -> KonversiInterval | None:
        return self.current.interval

    @property
    def interval_note(self) -> str | None:
        return self.current.interval_note


def data_version(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    unit: Unit,
    periodes: Sequence[Periode],
) -> tuple[int, int]:
    """(count, max id) of the counted responses of ``unit``'s subtree in ``periodes``.

    A new, deleted, excluded or re-included response changes it: one
    indexed count, against the several passes the numbers themselves take.
    """
    row = session.execute(
        sa.select(sa.func.count(), sa.func.max(SurveyResponse.id)).where(
            *response_conditions(instrument, periodes, tz, Scope(unit))
        )
    ).one()
    return int(row[0]), int(row[1] or 0)


def compute_periode(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    selection: Selection,
    population: int | None,
) -> PeriodeNumbers:
    """Run the queries about the chosen periode (no cache)."""
    periode = selection.periode
    result = score(session, instrument, periode, tz, selection.scope)
    breakdown = unit_layanan_aggregates(session, instrument, periode, tz, selection.breakdown_scope)
    profiles = profile_breakdowns(session, instrument, periode, tz, selection.scope)
    interval = None
    note = None
    if result is not None and (result.respondents or 0) >= 2:
        n = result.respondents or 0
        usable = population if population is not None and population >= n else None
        if population is not None and usable is None:
            note = (
                f"Populasi yang dicatat ({format_number(population, 0)}) lebih kecil dari "
                f"jumlah responden ({format_number(n, 0)}); selang dihitung tanpa koreksi "
                "populasi. Periksa angka populasi."
            )
        interval = score_interval(
            session, instrument, periode, tz, selection.scope, result, population=usable
        )
    elif result is not None:
        note = "Selang kepercayaan memerlukan minimal 2 responden."
    return PeriodeNumbers(result, breakdown, profiles, interval, note)


def dashboard_numbers(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    selection: Selection,
    population: int | None,
) -> tuple[DashboardNumbers, tuple[int, ...]]:
    """The numbers of ``selection`` and a version naming the data they come from.

    From the summaries they are computed afresh; from the raw rows they come
    from the cache for each part whose responses have not changed."""
    periodes = trend_periodes(selection.periode)
    past_periodes = periodes[:-1]
    if summaries_serve(tz, selection.scope):
        # Names of their own: below, the same values come from the cache (Any | None).
        fresh = compute_periode(session, instrument, tz, selection, population)
        fresh_past = score_periodes(session, instrument, past_periodes, tz, selection.scope)
        numbers = DashboardNumbers(selection.periode.code, fresh, fresh_past)
        return numbers, tuple(fresh.breakdown.table.sum(axis=0).tolist())
    cache = app_cache("numbers", NUMBERS_CACHE_SIZE)
    instrument_key = (instrument.key, instrument.version)

    current_version = data_version(session, instrument, tz, selection.unit, [selection.periode])
    key = ("periode", *selection.key, *instrument_key, population, current_version)
    current = cache.get(key)
    if current is None:
        current = compute_periode(session, instrument, tz, selection, population)
        cache.put(key, current)

    past_version = data_version(session, instrument, tz, selection.unit, past_periodes)
    key = ("past", *selection.key, *instrument_key, past_version)
    past = cache.get(key)
    if past is None:
        past = score_periodes(session, instrument, past_periodes, tz, selection.scope)
        cache.put(key, past)
    numbers = DashboardNumbers(selection.periode.code, current, past)
    return numbers, (*current_version, *past_version)


def weakest_unsur(
    result: IkmResult, instrument: Instrument, count: int = PRIORITAS_COUNT
) -> tuple[Unsur, ...]:
    """The ``count`` unsur with the lowest NRR (more on a tie at the cut), weakest first."""
    ranked = sorted(instrument.unsur, key=lambda u: (result.unsur[u.position].nrr, u.position))
    if len(ranked) <= count:
        return tuple(ranked)
    cut = result.unsur[ranked[count - 1].position].nrr
    return tuple(u for u in ranked if result.unsur[u.position].nrr <= cut)


@dataclass(frozen=True)
class UnsurRow:
    unsur: Unsur
    score: UnsurScore
    previous: UnsurScore | None
    prioritas: bool

    @property
    def change(self) -> float | None:
        """Change of the unsur konversi (NRR x 25) since the previous periode."""
        if self.previous is None:
            return None
        return round(self.score.konversi - self.previous.konversi, 2)


@dataclass(frozen=True)
class GroupRow:
    """One line of a side-by-side table: a sub-unit or a layanan."""

    key: int | None
    name: str
    respondents: int
    result: IkmResult | None
    slug: str | None = None
    selected: bool = False
    unit_name: str | None = None


@dataclass(frozen=True)
class Dashboard:
    selection: Selection
    instrument: Instrument
    numbers: DashboardNumbers
    version: tuple[int, ...]
    result: IkmResult | None
    previous_periode: Periode
    previous_result: IkmResult | None
    unsur_rows: tuple[UnsurRow, ...]
    priorities: tuple[Unsur, ...]
    trend: tuple[tuple[Periode, IkmResult | None], ...]
    targets: tuple[float | None, ...]
    subunit_rows: tuple[GroupRow, ...]
    layanan_rows: tuple[GroupRow, ...]
    population: PopulationFigure | None
    adequacy: SampleAdequacy | None
    #: The instrument each trend point was scored with (same order as ``trend``).
    trend_instruments: tuple[Instrument, ...] = ()

    @property
    def change(self) -> float | None:
        """Change of the rounded konversi since the previous periode."""
        if self.result is None or self.previous_result is None:
            return None
        return round(self.result.konversi - self.previous_result.konversi, 2)

    @property
    def trend_shown(self) -> tuple[tuple[Periode, IkmResult | None], ...]:
        """The trend from its first periode with data (older empty periodes say nothing)."""
        for index, (_, result) in enumerate(self.trend):
            if result is not None:
                return self.trend[index:]
        return ()

    def instrument_of(self, periode: Periode) -> Instrument:
        """The instrument the trend's score of ``periode`` was computed with."""
        for (trend_periode, _), used in zip(self.trend, self.trend_instruments, strict=False):
            if trend_periode.code == periode.code:
                return used
        return self.instrument

    @property
    def instrument_changes(self) -> tuple[tuple[Periode, Instrument], ...]:
        """Where the shown trend switches instrument: (first periode, new instrument)."""
        shown = self.trend_shown
        used = [self.instrument_of(periode) for periode, _ in shown]
        return tuple(
            (shown[i][0], used[i])
            for i in range(1, len(shown))
            if (used[i].key, used[i].version) != (used[i - 1].key, used[i - 1].version)
        )

    @property
    def profiles(self) -> tuple[ProfileBreakdown, ...]:
        return self.numbers.profiles

    @property
    def interval(self) -> KonversiInterval | None:
        return self.numbers.interval


def _group_rows(
    grouped: GroupedScores,
    names: dict[int | None, str],
    slugs: dict[int | None, str],
    selected: int | None = None,
) -> tuple[GroupRow, ...]:
    rows = [
        GroupRow(
            key,
            names.get(key, "—"),
            respondents,
            grouped.result(key),
            slugs.get(key),
            key is not None and key == selected,
        )
        for key, respondents in zip(grouped.keys, grouped.respondents, strict=True)
    ]
    return tuple(sorted(rows, key=lambda r: (r.key is None, r.name.casefold())))


def other_instrument_scores(
    session: Session,
    instrument: Instrument,
    periodes: Sequence[Periode],
    tz: ZoneInfo,
    scope: Scope,
) -> dict[str, tuple[Instrument, IkmResult]]:
    """Scores of ``periodes`` under every other registered instrument, by periode code.

    An office's history in an older questionnaire (Permenpan RB 16/2014,
    Kepmenpan 25/2004) is shown next to its current quarters: each periode
    scored with its own instrument and bands, never pooled with another
    instrument's answers. Where two other instruments both have responses in
    one periode, the one with more respondents is taken.
    """
    found: dict[str, tuple[Instrument, IkmResult]] = {}
    if not periodes:
        return found
    for other in registry().values():
        if (other.key, other.version) == (instrument.key, instrument.version):
            continue
        for code, result in score_periodes(session, other, periodes, tz, scope).items():
            best = found.get(code)
            if result is not None and (
                best is None or (result.respondents or 0) > (best[1].respondents or 0)
            ):
                found[code] = (other, result)
    return found


def _trend(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    selection: Selection,
    numbers: DashboardNumbers,
) -> tuple[tuple[tuple[Periode, IkmResult | None], ...], tuple[Instrument, ...]]:
    """The trend's scores and the instrument of each: the dashboard's instrument
    where it has responses, another instrument's own score where only that one has."""
    periodes = trend_periodes(selection.periode)
    own = [(p, numbers.result(p.code)) for p in periodes]
    missing = [p for p, result in own if result is None]
    older = other_instrument_scores(session, instrument, missing, tz, selection.scope)
    trend = tuple((p, older[p.code][1] if p.code in older else r) for p, r in own)
    used = tuple(older[p.code][0] if p.code in older else instrument for p in periodes)
    return trend, used


def build_dashboard(
    session: Session, instrument: Instrument, tz: ZoneInfo, selection: Selection
) -> Dashboard:
    """Everything the dashboard page and its charts show for ``selection``."""
    unit = selection.unit
    whole_unit = selection.layanan_id is None and selection.include_subunits
    population = population_for(session, unit, selection.periode) if whole_unit else None
    numbers, version = dashboard_numbers(
        session, instrument, tz, selection, population.population if population else None
    )
    periodes = trend_periodes(selection.periode)
    result = numbers.result(selection.periode.code)
    previous_periode = selection.periode.previous()
    previous = numbers.result(previous_periode.code)
    priorities = weakest_unsur(result, instrument) if result is not None else ()
    unsur_rows: tuple[UnsurRow, ...] = ()
    if result is not None:
        unsur_rows = tuple(
            UnsurRow(
                u,
                result.unsur[u.position],
                previous.unsur[u.position] if previous is not None else None,
                u in priorities,
            )
            for u in instrument.unsur
        )

    subtree = session.scalars(sa.select(Unit).where(subtree_condition(unit))).all()
    subunit_rows: tuple[GroupRow, ...] = ()
    if selection.include_subunits and selection.layanan_id is None:
        children = [u for u in subtree if u.parent_id == unit.id]
        if children:
            grouped = numbers.breakdown.by_subunit(unit, subtree)
            names: dict[int | None, str] = {u.id: u.name for u in children}
            names[unit.id] = f"{unit.name} (kantor sendiri)"
            slugs: dict[int | None, str] = {u.id: u.slug for u in children}
            subunit_rows = _group_rows(grouped, names, slugs)
    layanan_rows = _layanan_rows(session, numbers.breakdown, subtree, selection.layanan_id)

    trend, trend_instruments = _trend(session, instrument, tz, selection, numbers)
    adequacy = None
    if population is not None and result is not None:
        adequacy = sample_adequacy(population.population, result.respondents or 0)
    elif population is not None:
        adequacy = sample_adequacy(population.population, 0)
    return Dashboard(
        selection=selection,
        instrument=instrument,
        numbers=numbers,
        version=version,
        result=result,
        previous_periode=previous_periode,
        previous_result=previous,
        unsur_rows=unsur_rows,
        priorities=priorities,
        trend=trend,
        trend_instruments=trend_instruments,
        targets=iku_targets(session, unit, periodes),
        subunit_rows=subunit_rows,
        layanan_rows=layanan_rows,
        population=population,
        adequacy=adequacy,
    )


def _layanan_rows(
    session: Session,
    breakdown: UnitLayananAggregates,
    subtree: Sequence[Unit],
    selected: int | None,
) -> tuple[GroupRow, ...]:
    """Scores per jenis layanan. Sub-units offering a layanan of the same name (every
    kelurahan's "Surat Keterangan Domisili") count as one row: that is the
    question a camat asks, and the integer sums add exactly."""
    ids = {key[1] for key in breakdown.keys if key[1] is not None}
    layanan = session.scalars(sa.select(Layanan).where(Layanan.id.in_(ids))).all() if ids else []
    name_of = {lay.id: " ".join(lay.name.split()) for lay in layanan}
    group_of: dict[int | None, str] = {i: name.casefold() for i, name in name_of.items()}
    members: dict[str | None, list[int]] = {}
    for layanan_id, group in group_of.items():
        members.setdefault(group, []).append(layanan_id)  # type: ignore[arg-type]
    grouped = breakdown.roll_up(lambda key: group_of.get(key[1]))
    display = {name.casefold(): name for name in name_of.values()}
    units = {u.id: u.name for u in subtree}
    single_unit = {lay.id: units.get(lay.unit_id, "") for lay in layanan}
    rows = []
    for group, respondents in zip(grouped.keys, grouped.respondents, strict=True):
        if group is None:
            rows.append(GroupRow(None, "Tanpa jenis layanan", respondents, grouped.result(group)))
            continue
        member_ids = members[group]
        name = display[group]
        if len(member_ids) > 1:
            name += f" ({len(member_ids)} unit)"
        rows.append(
            GroupRow(
                member_ids[0] if len(member_ids) == 1 else None,
                name,
                respondents,
                grouped.result(group),
                selected=selected in member_ids,
                unit_name=single_unit[member_ids[0]] if len(member_ids) == 1 else None,
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.name == "Tanpa jenis layanan", r.name.casefold())))
