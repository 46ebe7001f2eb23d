"""Demo IKU: Kecamatan Bantargebah's published IKU (data/iku), adopted by the demo kecamatan,
with plausible realisation of its indicators other than the IKM (which comes from the survey)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from skm.iku.datafile import import_document, read_document
from skm.models import Unit
from skm.periode import Periode
from skm.resources import resource_path
from skm.results.indicators import indicators_of
from skm.results.realisasi import TAHUNAN, RealisasiInput, save_realisasi

SEED_FILE = resource_path("data") / "iku" / "bantargebah-2024.toml"

#: (code, year, triwulan or TAHUNAN, inputs). AKIP is evaluated once a year
#: by the inspectorate (the current year only has the office's own
#: assessment); the orderly zones are counted cumulatively each quarter,
#: out of the kecamatan's 42 zones (44 after two were added in 2026).
REALISASI = (
    ("nilai-akip", 2024, TAHUNAN, RealisasiInput(value=Decimal("74.21"),
                                                 note="Hasil evaluasi Inspektorat")),
    ("nilai-akip", 2025, TAHUNAN, RealisasiInput(value=Decimal("73.96"),
                                                 note="Hasil evaluasi Inspektorat")),
    ("nilai-akip", 2026, TAHUNAN, RealisasiInput(
        value=Decimal("74.38"), note="Penilaian mandiri; menunggu evaluasi Inspektorat")),
    ("wilayah-tertib", 2024, TAHUNAN, RealisasiInput(numerator=Decimal(18),
                                                     denominator=Decimal(42))),
    ("wilayah-tertib", 2025, TAHUNAN, RealisasiInput(numerator=Decimal(22),
                                                     denominator=Decimal(42))),
    ("wilayah-tertib", 2026, 1, RealisasiInput(numerator=Decimal(9), denominator=Decimal(44))),
    ("wilayah-tertib", 2026, 2, RealisasiInput(numerator=Decimal(16), denominator=Decimal(44))),
    ("wilayah-tertib", 2026, 3, RealisasiInput(numerator=Decimal(24), denominator=Decimal(44))),
)  # fmt: skip


def load_demo_iku(session: Session, unit: Unit, today: date) -> int:
    """Import the seed IKU into ``unit`` and the realisation entries that ``today``
    has already seen (a triwulan once it has ended, a year from its last
    quarter on). Flushes; returns the number of realisation entries."""
    import_document(session, unit, read_document(SEED_FILE))
    by_code = {indicator.code: indicator for indicator in indicators_of(session, unit)}
    stored = 0
    for code, year, triwulan, inputs in REALISASI:
        if triwulan == TAHUNAN:
            visible = Periode.triwulan(year, 4).start <= today
        else:
            visible = Periode.triwulan(year, triwulan).end <= today
        if visible:
            save_realisasi(session, by_code[code], year, triwulan, inputs, None)
            stored += 1
    return stored
