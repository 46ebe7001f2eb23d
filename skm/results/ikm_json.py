"""An IKM result as JSON: the shape of ``skm score --json`` and of the API's ``/ikm``."""

from __future__ import annotations

from typing import Any

from questionnaires import Instrument
from scoring import IkmResult


def result_json(instrument: Instrument, result: IkmResult) -> dict[str, Any]:
    """The machine-readable scoring, full precision except konversi (two decimals)."""
    return {
        "instrument": instrument.key,
        "instrument_version": instrument.version,
        "respondents": result.respondents,
        "unsur": [
            {
                "key": unsur.key,
                "code": unsur.code,
                "name": unsur.name,
                "sum": score.sum,
                "count": score.count,
                "nrr": score.nrr,
                "nrr_tertimbang": score.nrr_tertimbang,
                "konversi": score.konversi,
                "mutu": score.mutu,
            }
            for unsur, score in zip(instrument.unsur, result.unsur, strict=True)
        ],
        "ikm": result.ikm,
        "konversi": result.konversi,
        "mutu": result.mutu,
        "kinerja": result.kinerja,
    }
