"""The historical Kepmenpan 25/2004 instrument (14 unsur, weight 1/14)."""

from __future__ import annotations

import pytest

from questionnaires import Instrument, load_instrument
from questionnaires.registry import PACKAGE_DIR

# The fourteen unsur of Kepmenpan 25/2004, in the decree's order.
UNSUR_NAMES = [
    "Prosedur pelayanan",
    "Persyaratan pelayanan",
    "Kejelasan petugas pelayanan",
    "Kedisiplinan petugas pelayanan",
    "Tanggung jawab petugas pelayanan",
    "Kemampuan petugas pelayanan",
    "Kecepatan pelayanan",
    "Keadilan mendapatkan pelayanan",
    "Kesopanan dan keramahan petugas",
    "Kewajaran biaya pelayanan",
    "Kepastian biaya pelayanan",
    "Kepastian jadwal pelayanan",
    "Kenyamanan lingkungan",
    "Keamanan pelayanan",
]


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    return load_instrument(PACKAGE_DIR / "kepmenpan-25-2004.toml")


def test_fourteen_unsur(instrument: Instrument) -> None:
    assert instrument.key == "kepmenpan-25-2004"
    assert instrument.n_unsur == 14
    assert [u.code for u in instrument.unsur] == [f"U{i}" for i in range(1, 15)]
    assert [u.name for u in instrument.unsur] == UNSUR_NAMES
    assert len(instrument.questions) == 14
    assert instrument.label("prosedur", 1) == "Tidak mudah"
    assert instrument.label("prosedur", 4) == "Sangat mudah"


@pytest.mark.parametrize(
    ("centi", "mutu"),
    [
        (10000, "A"),
        (8126, "A"),
        (8125, "B"),
        (6251, "B"),
        (6250, "C"),
        (4376, "C"),
        (4375, "D"),
        (2500, "D"),
    ],
)
def test_bands(instrument: Instrument, centi: int, mutu: str) -> None:
    assert instrument.grade_scale.grade_for_centi(centi).mutu == mutu


def test_same_profile_as_current_questionnaire(instrument: Instrument) -> None:
    current = load_instrument(PACKAGE_DIR / "permenpan-14-2017.toml")
    assert instrument.profile == current.profile
