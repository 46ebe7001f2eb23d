"""Grade scales for the scoring tests, built from the regulations' printed tables.

The bounds are typed exactly as the regulations print them (decimal comma)
and converted here, so a typo in ``questionnaires/`` cannot leak into the
reference values of these tests.
"""

from __future__ import annotations

import pytest

from scoring.grades import Grade, GradeScale

#: Permenpan RB 14/2017, Lampiran: lower bound of each nilai konversi band.
PERMENPAN_14_2017 = (
    ("A", "88,31", "Sangat Baik"),
    ("B", "76,61", "Baik"),
    ("C", "65,00", "Kurang Baik"),
    ("D", "25,00", "Tidak Baik"),
)

#: Kepmenpan 25/2004: 14 unsur, bands 25–43,75 D; 43,76–62,50 C;
#: 62,51–81,25 B; 81,26–100 A.
KEPMENPAN_25_2004 = (
    ("A", "81,26", "Sangat Baik"),
    ("B", "62,51", "Baik"),
    ("C", "43,76", "Kurang Baik"),
    ("D", "25,00", "Tidak Baik"),
)


def centi(printed: str) -> int:
    """'88,31' -> 8831, by string surgery rather than float arithmetic."""
    whole, decimals = printed.split(",")
    assert len(decimals) == 2, printed
    return int(whole) * 100 + int(decimals)


def build_scale(table: tuple[tuple[str, str, str], ...]) -> GradeScale:
    return GradeScale(tuple(Grade(mutu, kinerja, centi(lower)) for mutu, lower, kinerja in table))


@pytest.fixture
def scale_2017() -> GradeScale:
    """Permenpan RB 14/2017 category table (nine unsur)."""
    return build_scale(PERMENPAN_14_2017)


@pytest.fixture
def scale_2004() -> GradeScale:
    """Kepmenpan 25/2004 category table (fourteen unsur)."""
    return build_scale(KEPMENPAN_25_2004)
