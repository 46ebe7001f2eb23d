"""Population per unit and periode: the N of the Krejcie & Morgan minimum sample.

The population of a unit is the number of people the unit, with its
sub-units, served in the periode, as the office counts them (from its
service register). A semester or year without its own figure takes the
sum of its triwulan when every one of them has been entered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.audit import record
from skm.formatting import format_number
from skm.models import Unit, User
from skm.models.staff import Population
from skm.periode import ROMAN, Periode

MAX_POPULATION = 100_000_000


@dataclass(frozen=True)
class PopulationFigure:
    population: int
    #: How the figure was obtained: "dicatat", "jumlah Triwulan I dan II", "jumlah Triwulan I–IV".
    source: str


def _triwulan_of(periode: Periode) -> list[Periode]:
    if periode.kind == "semester":
        first = 1 if periode.number == 1 else 3
        return [Periode.triwulan(periode.year, first), Periode.triwulan(periode.year, first + 1)]
    if periode.kind == "tahun":
        return [Periode.triwulan(periode.year, n) for n in range(1, 5)]
    return []


def population_for(session: Session, unit: Unit, periode: Periode) -> PopulationFigure | None:
    """The population entered for ``unit`` in ``periode`` (or summed from its triwulan)."""
    return populations_for(session, [unit], periode)[unit.id]


def populations_for(
    session: Session, units: Sequence[Unit], periode: Periode
) -> dict[int, PopulationFigure | None]:
    """:func:`population_for` of each of ``units``, by unit id, in one query."""
    quarters = _triwulan_of(periode)
    codes = [periode.code] + [q.code for q in quarters]
    entries: dict[int, dict[str, int]] = {unit.id: {} for unit in units}
    for unit_id, code, population in session.execute(
        sa.select(Population.unit_id, Population.periode_code, Population.population).where(
            Population.unit_id.in_(list(entries)), Population.periode_code.in_(codes)
        )
    ):
        entries[unit_id][code] = population
    return {unit_id: _figure(found, periode, quarters) for unit_id, found in entries.items()}


def _figure(
    entries: dict[str, int], periode: Periode, quarters: list[Periode]
) -> PopulationFigure | None:
    if periode.code in entries:
        return PopulationFigure(entries[periode.code], "dicatat")
    if quarters and all(q.code in entries for q in quarters):
        roman = [ROMAN[q.number - 1] for q in quarters]
        names = f"{roman[0]}–{roman[-1]}" if len(roman) > 2 else " dan ".join(roman)
        total = sum(entries[q.code] for q in quarters)
        return PopulationFigure(total, f"jumlah Triwulan {names}")
    return None


def entries_for(session: Session, unit: Unit) -> Sequence[Population]:
    """Every figure entered for ``unit``, latest periode first."""
    return session.scalars(
        sa.select(Population)
        .where(Population.unit_id == unit.id)
        .order_by(Population.periode_code.desc())
    ).all()


def set_population(
    session: Session,
    actor: User,
    unit: Unit,
    periode: Periode,
    population: int,
    note: str = "",
    address: str | None = None,
) -> Population:
    """Enter or correct the population of ``unit`` for ``periode`` (flushes, audited)."""
    if not 1 <= population <= MAX_POPULATION:
        raise ValueError(f"Populasi harus antara 1 dan {format_number(MAX_POPULATION, 0)} orang.")
    entry = session.scalar(
        sa.select(Population).where(
            Population.unit_id == unit.id, Population.periode_code == periode.code
        )
    )
    before = None if entry is None else entry.population
    if entry is None:
        entry = Population(unit_id=unit.id, periode_code=periode.code, population=population)
        session.add(entry)
    entry.population = population
    entry.note = note.strip()[:300]
    entry.updated_at = datetime.now(UTC)
    entry.updated_by_id = actor.id
    session.flush()
    record(
        session,
        actor,
        "populasi.set",
        entry,
        f"Populasi {unit.name} {periode.label}: {format_number(population, 0)} orang",
        unit=unit,
        changes={"population": [before, population]},
        address=address,
    )
    return entry
