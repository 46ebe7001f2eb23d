"""The IKM of a unit and periode as JSON: the shape of ``skm score --json``
plus the unit, the periode and the sample-size adequacy."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from questionnaires import Instrument
from scoring import IkmResult, krejcie_morgan, sample_adequacy
from skm.models import Layanan, Unit
from skm.periode import Periode
from skm.results.ikm_json import result_json
from skm.results.population import population_for


def scoring_json(instrument: Instrument, result: IkmResult | None) -> dict[str, Any]:
    """``result_json`` of ``skm score``; with no response yet, the same keys with nulls."""
    if result is not None:
        return result_json(instrument, result)
    return {
        "instrument": instrument.key,
        "instrument_version": instrument.version,
        "respondents": 0,
        "unsur": [
            {
                "key": unsur.key,
                "code": unsur.code,
                "name": unsur.name,
                "sum": 0,
                "count": 0,
                "nrr": None,
                "nrr_tertimbang": None,
                "konversi": None,
                "mutu": None,
            }
            for unsur in instrument.unsur
        ],
        "ikm": None,
        "konversi": None,
        "mutu": None,
        "kinerja": None,
    }


def sample_json(population: int | None, collected: int) -> dict[str, Any]:
    """Krejcie & Morgan adequacy; every field null but ``collected`` while N is unknown."""
    if population is None:
        return {
            "population": None,
            "minimum": None,
            "collected": collected,
            "sufficient": None,
            "label": None,
            "note": "Populasi periode ini belum dicatat; kecukupan sampel belum dapat dinilai.",
        }
    try:
        adequacy = sample_adequacy(population, collected)
    except ValueError as error:
        # More respondents than people served: the population is understated.
        return {
            "population": population,
            "minimum": krejcie_morgan(population),
            "collected": collected,
            "sufficient": None,
            "label": None,
            "note": str(error),
        }
    return {
        "population": adequacy.population,
        "minimum": adequacy.minimum,
        "collected": adequacy.collected,
        "sufficient": adequacy.sufficient,
        "label": adequacy.label,
        "note": None,
    }


def stored_population(session: Session, unit: Unit, periode: Periode) -> int | None:
    """The population staff entered for the unit and periode, if any.

    Population figures are entered on the staff pages; a unit without one
    has no figure, which the API reports as null.
    """
    figure = population_for(session, unit, periode)
    return figure.population if figure is not None else None


def ikm_response(
    *,
    instrument: Instrument,
    unit: Unit,
    periode: Periode,
    include_subunits: bool,
    layanan: Layanan | None,
    result: IkmResult | None,
    population: int | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit": {"slug": unit.slug, "name": unit.name, "kind": unit.kind},
        "periode": {
            "code": periode.code,
            "label": periode.label,
            "first_day": periode.start.isoformat(),
            "last_day": periode.last_day.isoformat(),
        },
        "include_subunits": include_subunits,
        "layanan": {"id": layanan.id, "name": layanan.name} if layanan is not None else None,
    }
    scoring = scoring_json(instrument, result)
    body.update(scoring)
    body["sample"] = sample_json(population, scoring["respondents"])
    return body
