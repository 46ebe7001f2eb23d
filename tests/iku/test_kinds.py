"""Capaian of every IKU kind the seed documents use, against values worked out by hand
with fractions: counts, quantities, composites, year-on-year changes, graded predikat,
and the zero target of a lower-is-better indicator."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from skm.results.capaian import (
    RealisasiError,
    capaian,
    change,
    composite,
    grade_capaian,
    grade_position,
    round_half_up,
)
from skm.results.indicators import AKIP_SCALE, target_problem


def D(text: str) -> Decimal:
    return Decimal(text)


def test_a_count_or_a_quantity_is_realisasi_over_target() -> None:
    # Jum'at Bersih: 52 activities against 48 planned = 13/12 = 108,333... %.
    assert capaian(Fraction(52), Fraction(48), "higher") == Fraction(325, 3)
    assert round_half_up(Fraction(325, 3)) == D("108.33")
    # Luas RTH: 1.100,5 m² against 1.250 m² = 0,8804 -> 88,04 %.
    assert capaian(Fraction(11005, 10), Fraction(1250), "higher") == Fraction(8804, 100)


def test_a_composite_is_the_mean_or_the_sum_of_its_components() -> None:
    # SOP compliance of four layanan: (100 + 87,5 + 75 + 90) / 4 = 352,5 / 4 = 88,125.
    sop = [D("100"), D("87.5"), D("75"), D("90")]
    assert composite(sop, "mean") == Fraction(705, 8)
    assert round_half_up(Fraction(705, 8)) == D("88.13")  # half-up: 88,125 -> 88,13
    # Capaian from the printed 88,13 against a target of 90: 8813/9000 = 97,922... %.
    assert round_half_up(capaian(Fraction(8813, 100), Fraction(90), "higher")) == D("97.92")
    assert composite([D("30"), D("25.5")], "sum") == Fraction(111, 2)
    with pytest.raises(RealisasiError, match="paling sedikit satu"):
        composite([], "mean")
    with pytest.raises(RealisasiError, match="tidak boleh negatif"):
        composite([D("90"), D("-1")], "mean")


def test_grades_are_numbered_from_the_bottom_of_the_scale() -> None:
    assert AKIP_SCALE == ("AA", "A", "BB", "B", "CC", "C", "D")
    assert [grade_position(g, AKIP_SCALE) for g in AKIP_SCALE] == [7, 6, 5, 4, 3, 2, 1]
    with pytest.raises(RealisasiError, match="'E' tidak ada pada skala"):
        grade_position("E", AKIP_SCALE)


@pytest.mark.parametrize(
    ("realised", "target", "percent"),
    [
        ("AA", "BB", Fraction(100)),  # better than planned: met, 100 %
        ("BB", "BB", Fraction(100)),
        ("B", "BB", Fraction(80)),  # 4 / 5
        ("CC", "BB", Fraction(60)),  # 3 / 5
        ("D", "BB", Fraction(20)),  # 1 / 5
        ("B", "A", Fraction(200, 3)),  # 4 / 6 = 66,666...
        ("D", "AA", Fraction(100, 7)),  # 1 / 7
    ],
)
def test_the_capaian_of_a_grade(realised, target, percent) -> None:
    assert grade_capaian(realised, target, AKIP_SCALE) == percent


def test_the_capaian_of_a_grade_is_printed_rounded() -> None:
    assert round_half_up(grade_capaian("B", "A", AKIP_SCALE)) == D("66.67")
    assert round_half_up(grade_capaian("D", "AA", AKIP_SCALE)) == D("14.29")  # 14,2857...


def test_a_decrease_of_violations_by_the_seed_formula() -> None:
    # Benjeng: (n − (n−1)) / n x 100 with n this year's count: 48 last year, 40 this year
    # is (40 − 48) / 40 = −20 % (dividing by last year's 48 would give −16,67 %).
    assert change(D("40"), D("48")) == Fraction(-20)
    # A planned decrease of 10 % is the target −10; twice the decrease is 200 %.
    assert capaian(Fraction(-20), Fraction(-10), "lower") == Fraction(200)
    # 42 then 40 is (40 − 42) / 40 = −5 %: half the planned decrease, 50 %.
    assert change(D("40"), D("42")) == Fraction(-5)
    assert capaian(Fraction(-5), Fraction(-10), "lower") == Fraction(50)


def test_a_zero_target_of_a_lower_is_better_indicator() -> None:
    # "No increase" (target 0): met by no change or a decrease, missed by any increase.
    assert capaian(Fraction(0), Fraction(0), "lower") == Fraction(100)
    assert capaian(Fraction(-20), Fraction(0), "lower") == Fraction(100)
    assert capaian(Fraction(5), Fraction(0), "lower") == Fraction(0)


def test_targets_that_do_not_fit_the_kind_are_refused() -> None:
    assert target_problem("grade", "BB", scale=AKIP_SCALE) is None
    assert "salah satu predikat skala: AA, A, BB" in target_problem("grade", "E", scale=AKIP_SCALE)
    assert "bilangan bulat" in target_problem("count", D("12.5"))
    assert target_problem("count", D("12")) is None
    assert "tidak boleh negatif" in target_problem("quantity", D("-1"))
    # A decrease's target is written as the formula gives it.
    problem = target_problem("change", D("10"), polarity="lower")
    assert "tulis target penurunan 10% sebagai −10" in problem
    assert target_problem("change", D("-10"), polarity="lower") is None
    assert target_problem("change", D("10"), polarity="higher") is None
