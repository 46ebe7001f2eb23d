"""The category tables applied as a lower-bound cascade on the rounded konversi."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.grades import Grade, GradeScale
from tests.scoring.conftest import centi

# (printed konversi, mutu) at and around every bound, Permenpan RB 14/2017.
BOUNDARIES_2017 = [
    ("100,00", "A"),
    ("88,31", "A"),
    ("88,30", "B"),
    ("76,61", "B"),
    ("76,60", "C"),
    ("65,00", "C"),
    ("64,99", "D"),
    ("25,00", "D"),
]

# Kepmenpan 25/2004.
BOUNDARIES_2004 = [
    ("100,00", "A"),
    ("81,26", "A"),
    ("81,25", "B"),
    ("62,51", "B"),
    ("62,50", "C"),
    ("43,76", "C"),
    ("43,75", "D"),
    ("25,00", "D"),
]


@pytest.mark.parametrize(("printed", "mutu"), BOUNDARIES_2017)
def test_2017_cascade(scale_2017: GradeScale, printed: str, mutu: str) -> None:
    assert scale_2017.grade_for_centi(centi(printed)).mutu == mutu


@pytest.mark.parametrize(("printed", "mutu"), BOUNDARIES_2004)
def test_2004_cascade(scale_2004: GradeScale, printed: str, mutu: str) -> None:
    assert scale_2004.grade_for_centi(centi(printed)).mutu == mutu


def test_kinerja_labels(scale_2017: GradeScale) -> None:
    labels = [scale_2017.grade_for_centi(centi(p)).kinerja for p in ("90,00", "80,00", "70,00")]
    assert labels == ["Sangat Baik", "Baik", "Kurang Baik"]
    assert scale_2017.grade_for_centi(6499).kinerja == "Tidak Baik"


def test_vectorised_matches_scalar(scale_2017: GradeScale, scale_2004: GradeScale) -> None:
    values = np.arange(2500, 10001)
    for scale in (scale_2017, scale_2004):
        indices = scale.grade_indices(values)
        expected = [scale.grades.index(scale.grade_for_centi(int(v))) for v in values]
        assert indices.tolist() == expected


@pytest.mark.parametrize("value", [2499, 10001, -1])
def test_outside_scale_raises(scale_2017: GradeScale, value: int) -> None:
    with pytest.raises(ValueError, match="di luar skala"):
        scale_2017.grade_for_centi(value)


@pytest.mark.parametrize(
    "grades",
    [
        (),
        (Grade("A", "x", 6500), Grade("B", "y", 7661), Grade("D", "z", 2500)),
        (Grade("A", "x", 8831), Grade("D", "z", 3000)),
        (Grade("A", "x", 8831), Grade("A", "z", 2500)),
        (Grade("A", "x", 10001), Grade("D", "z", 2500)),
    ],
)
def test_invalid_scales_raise(grades: tuple[Grade, ...]) -> None:
    with pytest.raises(ValueError):
        GradeScale(grades)
