"""Hook for IKU targets on the IKM trend chart.

The IKU feature (targets per unit and year) registers a lookup with
:func:`register_target_lookup`; until then there are no targets and the
trend chart draws none. The dashboard never needs to know where targets
are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, current_app
from sqlalchemy.orm import Session

from skm.models import Unit
from skm.periode import Periode

#: ``lookup(session, unit, periode)`` -> the IKM (konversi) target, or None.
TargetLookup = Callable[[Session, Unit, Periode], float | None]

EXTENSION = "skm.iku_targets"


def register_target_lookup(app: Flask, lookup: TargetLookup) -> None:
    """Called once by the IKU feature when it is set up."""
    app.extensions[EXTENSION] = lookup


def iku_targets(
    session: Session, unit: Unit, periodes: Sequence[Periode]
) -> tuple[float | None, ...]:
    """The IKM target of each periode (None where there is none)."""
    lookup: TargetLookup | None = current_app.extensions.get(EXTENSION)
    if lookup is None:
        return tuple(None for _ in periodes)
    return tuple(lookup(session, unit, periode) for periode in periodes)
