"""The unit a report or a comparison is about, as the cover names it.

Also the error raised when there is nothing to report: the quarterly report
(:mod:`skm.reports.data`) and the comparison of sub-units
(:mod:`skm.results.comparison`) both refuse with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.models import Unit

#: Units whose name the cover prints above the unit ("PEMERINTAH KABUPATEN ...").
GOVERNMENT_KINDS = ("kabupaten", "kota")


class ReportError(ValueError):
    """A report that cannot be produced; the message says why, in Indonesian."""


@dataclass(frozen=True)
class UnitInfo:
    name: str
    slug: str
    kind: str
    address: str | None
    #: "Kabupaten Bandung" when the unit lies under a kabupaten/kota, for the cover.
    government: str | None
    subunits: tuple[str, ...]


def unit_info(session: Session, unit: Unit) -> UnitInfo:
    """Name, address, the kabupaten/kota above it and the names of its sub-units."""
    government = None
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    if ids:
        ancestors = session.scalars(sa.select(Unit).where(Unit.id.in_(ids))).all()
        for ancestor in sorted(ancestors, key=lambda u: len(u.path)):
            if ancestor.kind in GOVERNMENT_KINDS:
                government = ancestor.name
                break
    children = session.scalars(
        sa.select(Unit.name).where(Unit.parent_id == unit.id).order_by(Unit.name)
    ).all()
    return UnitInfo(unit.name, unit.slug, unit.kind, unit.address, government, tuple(children))
