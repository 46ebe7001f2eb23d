"""The sub-units of a unit side by side: what a bupati (or a camat) compares.

For a unit with sub-units (a kabupaten with its kecamatan, a kecamatan with
its kelurahan) and a periode: every sub-unit's IKM (with its own sub-units
rolled up), mutu, respondents against the Krejcie & Morgan minimum of the
population it recorded, its weakest unsur and its change since the
previous periode, ranked by IKM; and the combined IKM of the whole unit.

The combined IKM is scored from the pooled responses of the subtree
(Σ nilai and jumlah jawaban of every response), never as an average of the
sub-units' IKM: a kecamatan with 400 respondents weighs more than one with
40, exactly as if one survey had been held. Scores of different
instruments are never combined: each instrument used in the periode gets
its own comparison. Every number comes from :mod:`skm.ikm` (``score``,
``score_by_subunit``); nothing is scored here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument, UnknownInstrumentError, Unsur, get_instrument
from scoring import IkmResult, SampleAdequacy, sample_adequacy
from skm.formatting import format_number
from skm.ikm import Scope, instrument_versions, score, score_by_subunit
from skm.models import Unit
from skm.periode import Periode
from skm.results.dashboard import weakest_unsur
from skm.results.population import PopulationFigure, populations_for
from skm.results.subject import ReportError, UnitInfo, unit_info

#: Periodes in the comparison over time (the chosen one and those before it; leading
#: periodes without any response are left out).
TREND_PERIODES = 4


@dataclass(frozen=True)
class SubunitScore:
    """One line of the comparison: a sub-unit (or the parent's own office)."""

    unit_id: int
    name: str
    slug: str
    own_office: bool
    result: IkmResult
    previous: IkmResult | None
    population: PopulationFigure | None
    adequacy: SampleAdequacy | None
    weakest: tuple[Unsur, ...]
    rank: int
    #: Konversi of each periode of :attr:`Comparison.periodes` (None: no responses).
    trend: tuple[IkmResult | None, ...]

    @property
    def respondents(self) -> int:
        return self.result.respondents or 0

    @property
    def change_centi(self) -> int | None:
        """Change of the rounded konversi since the previous periode, in hundredths."""
        if self.previous is None:
            return None
        return self.result.konversi_centi - self.previous.konversi_centi

    @property
    def too_few(self) -> bool:
        """Fewer respondents than the Krejcie & Morgan minimum of the recorded population."""
        return self.adequacy is not None and not self.adequacy.sufficient


@dataclass(frozen=True)
class InstrumentComparison:
    """The comparison of the sub-units that used one instrument in the periode."""

    instrument: Instrument
    #: Scored from the pooled responses of the whole subtree.
    combined: IkmResult
    previous_combined: IkmResult | None
    combined_trend: tuple[IkmResult | None, ...]
    population: PopulationFigure | None
    adequacy: SampleAdequacy | None
    #: Ranked by konversi, best first; equal konversi share a rank.
    rows: tuple[SubunitScore, ...]

    @property
    def change_centi(self) -> int | None:
        if self.previous_combined is None:
            return None
        return self.combined.konversi_centi - self.previous_combined.konversi_centi


@dataclass(frozen=True)
class Comparison:
    unit: UnitInfo
    periode: Periode
    #: Oldest first, ending with :attr:`periode`.
    periodes: tuple[Periode, ...]
    parts: tuple[InstrumentComparison, ...]
    #: Sub-units without any counted response in the periode.
    silent: tuple[str, ...]
    produced_at: datetime

    @property
    def previous_periode(self) -> Periode:
        return self.periode.previous()


def change_text(change_centi: int | None) -> str:
    """ "naik 1,25", "turun 0,50", "tetap" (IKM points on the 25–100 scale), "–" without
    a previous periode."""
    if change_centi is None:
        return "–"
    if change_centi > 0:
        return f"naik {format_number(change_centi / 100)}"
    if change_centi < 0:
        return f"turun {format_number(-change_centi / 100)}"
    return "tetap"


def instruments_used(
    session: Session, tz: ZoneInfo, unit: Unit, periode: Periode
) -> list[Instrument]:
    """The instruments of the counted responses of ``unit``'s subtree in ``periode``."""
    found = []
    for key, version in instrument_versions(session, [periode], tz, Scope(unit)):
        try:
            found.append(get_instrument(key, version))
        except UnknownInstrumentError:
            continue  # responses of an instrument file that was removed: nothing to score with
    return found


def _ranks(results: list[IkmResult]) -> list[int]:
    """Competition ranks by konversi, best first (1, 2, 2, 4)."""
    ordered = sorted((r.konversi_centi for r in results), reverse=True)
    return [ordered.index(r.konversi_centi) + 1 for r in results]


def _compare(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    unit: Unit,
    children: list[Unit],
    periodes: list[Periode],
) -> InstrumentComparison | None:
    periode = periodes[-1]
    scope = Scope(unit)
    by_periode = [score_by_subunit(session, instrument, p, tz, scope) for p in periodes]
    combined_trend = tuple(score(session, instrument, p, tz, scope) for p in periodes)
    combined = combined_trend[-1]
    if combined is None:
        return None
    current = by_periode[-1]
    previous_periode = periode.previous()
    previous = (
        by_periode[-2]
        if len(periodes) > 1 and periodes[-2] == previous_periode
        else score_by_subunit(session, instrument, previous_periode, tz, scope)
    )
    members = [(child, False) for child in children] + [(unit, True)]
    results = [(u, own, current.result(u.id)) for u, own in members]
    scored = [(u, own, result) for u, own, result in results if result is not None]
    ranks = _ranks([result for _, _, result in scored])
    # Every member's, the unit's own included (that one stands for the whole subtree).
    populations = populations_for(session, [u for u, _ in members], periode)
    rows = []
    for (member, own, result), rank in zip(scored, ranks, strict=True):
        # The parent's population covers the whole subtree, not its own counter alone.
        population = None if own else populations[member.id]
        rows.append(
            SubunitScore(
                unit_id=member.id,
                name=f"{member.name} (kantor sendiri)" if own else member.name,
                slug=member.slug,
                own_office=own,
                result=result,
                previous=previous.result(member.id),
                population=population,
                adequacy=sample_adequacy(population.population, result.respondents or 0)
                if population
                else None,
                weakest=weakest_unsur(result, instrument, 1),
                rank=rank,
                trend=tuple(grouped.result(member.id) for grouped in by_periode),
            )
        )
    rows.sort(key=lambda r: (r.rank, r.name.casefold()))
    population = populations[unit.id]
    return InstrumentComparison(
        instrument=instrument,
        combined=combined,
        previous_combined=score(session, instrument, previous_periode, tz, scope),
        combined_trend=combined_trend,
        population=population,
        adequacy=sample_adequacy(population.population, combined.respondents or 0)
        if population
        else None,
        rows=tuple(rows),
    )


def collect_comparison(
    session: Session,
    tz: ZoneInfo,
    unit: Unit,
    periode: Periode,
    *,
    now: datetime | None = None,
    trend_periodes: int = TREND_PERIODES,
) -> Comparison:
    """The comparison of ``unit``'s sub-units in ``periode`` (and the periodes before it).

    Raises :class:`ReportError` for a unit without sub-units or a periode
    without counted responses.
    """
    children = list(
        session.scalars(sa.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name))
    )
    if not children:
        raise ReportError(
            f"{unit.name} tidak memiliki unit di bawahnya; laporan perbandingan tidak tersedia."
        )
    periodes = periode.history(trend_periodes)
    parts = []
    for instrument in instruments_used(session, tz, unit, periode):
        part = _compare(session, instrument, tz, unit, children, periodes)
        if part is not None:
            parts.append(part)
    if not parts:
        raise ReportError(
            f"Belum ada respons yang dapat dinilai untuk {unit.name} pada {periode.label}; "
            "laporan perbandingan belum dapat disusun."
        )
    # Older periodes before anyone answered say nothing (like the dashboard's trend).
    first = min(
        next(i for i, result in enumerate(part.combined_trend) if result is not None)
        for part in parts
    )
    parts = [
        replace(
            part,
            combined_trend=part.combined_trend[first:],
            rows=tuple(replace(row, trend=row.trend[first:]) for row in part.rows),
        )
        for part in parts
    ]
    answered = {row.unit_id for part in parts for row in part.rows}
    return Comparison(
        unit=unit_info(session, unit),
        periode=periode,
        periodes=tuple(periodes[first:]),
        parts=tuple(parts),
        silent=tuple(child.name for child in children if child.id not in answered),
        produced_at=(now or datetime.now(tz)).astimezone(tz),
    )
