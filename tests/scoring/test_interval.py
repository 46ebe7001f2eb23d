"""Confidence interval of the konversi, checked against hand computation."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import numpy as np
import pytest

from scoring.grades import GradeScale
from scoring.ikm import score_matrix
from scoring.interval import konversi_interval
from tests.scoring.reference import exact_konversi, naive_sum
from tests.scoring.test_rounding import FLOAT_TIES

Z_95 = 1.959963984540054  # standard normal 0,975 quantile
Z_90 = 1.6448536269514722  # 0,95 quantile

# Four respondents, three unsur, no blanks.
HAND = [[4, 3, 4], [3, 3, 3], [2, 3, 4], [4, 4, 4]]


def half_up_2(value: float) -> float:
    """Display rounding of an interval end (no tie can occur in these cases)."""
    return math.floor(value * 100 + 0.5) / 100


def test_hand_example_without_blanks(scale_2017: GradeScale) -> None:
    # Row means 11/3, 3, 3, 4; their mean 41/12; squared deviations
    # (1/4)², (5/12)², (5/12)², (7/12)² sum to 3/4; sample variance 1/4,
    # sd 1/2, standard error of the mean 1/4, of the konversi 25/4.
    means = [Fraction(sum(row), 3) for row in HAND]
    mean = sum(means, Fraction(0)) / 4
    assert mean == Fraction(41, 12)
    assert sum((m - mean) ** 2 for m in means) / 3 == Fraction(1, 4)
    result = konversi_interval(HAND, scale_2017)
    # The standard error goes through a dot product whose summation order depends on
    # the BLAS kernel (6.250000000000001 on one processor): 1e-12 relative is far
    # below what the interval ends, rounded to hundredths, could show.
    assert result.standard_error == pytest.approx(6.25, rel=1e-12)
    assert result.finite_population_correction == 1.0  # exact: the constant for an unknown N
    assert result.population is None and result.respondents == 4 and result.level == 0.95
    # 1025/12 = 85,41667 -/+ 1,95996 x 6,25 = 12,24977 -> 73,1669 and 97,6664
    assert result.konversi == 85.42
    assert (result.low, result.high) == (73.17, 97.67)
    assert (result.mutu_low, result.mutu_high, result.crosses_boundary) == ("C", "A", True)


def test_level_changes_the_quantile(scale_2017: GradeScale) -> None:
    result = konversi_interval(HAND, scale_2017, level=0.90)
    # 85,41667 -/+ 1,64485 x 6,25 = 10,28034 -> 75,1363 and 95,6970
    assert (result.low, result.high) == (75.14, 95.70)
    assert result.level == 0.90
    assert math.isclose(Z_90 * 6.25, 10.280335168446701)


def test_population_correction(scale_2017: GradeScale) -> None:
    result = konversi_interval(HAND, scale_2017, population=10)
    fpc = math.sqrt(6 / 9)  # (N - n) / (N - 1) = 6/9
    assert math.isclose(result.finite_population_correction, fpc, rel_tol=1e-15)
    assert math.isclose(result.standard_error, 6.25 * fpc, rel_tol=1e-15)
    # 85,41667 -/+ 1,95996 x 5,10310 = 10,00190 -> 75,4148 and 95,4186
    assert (result.low, result.high) == (75.41, 95.42)
    assert result.population == 10


def test_whole_population_gives_zero_width(scale_2017: GradeScale) -> None:
    result = konversi_interval(HAND, scale_2017, population=4)
    assert result.finite_population_correction == 0.0  # exact: sqrt(0 / 3)
    assert result.standard_error == 0.0  # exact: multiplied by that zero
    assert result.low == result.high == result.konversi == 85.42
    assert (result.mutu_low, result.mutu_high, result.crosses_boundary) == ("B", "B", False)


def test_zero_width_on_a_tie_rounds_like_the_official_value(scale_2017: GradeScale) -> None:
    sums, centi = FLOAT_TIES[2]  # 76,605 exactly; float arithmetic says 76,60499...
    columns = []
    for total in sums:
        base, extra = divmod(total, 10000)
        columns.append([base + 1] * extra + [base] * (10000 - extra))
    answers = np.array(columns).T
    assert exact_konversi(answers.sum(axis=0).tolist(), [10000] * 9) == Fraction(76605, 1000)
    naive = naive_sum(s / 10000 for s in sums) / 9 * 25
    assert half_up_2(naive) == 76.60  # where a float-centred interval would end: C
    result = konversi_interval(answers, scale_2017, population=10000)
    assert result.konversi == result.low == result.high == centi / 100 == 76.61
    assert (result.mutu_low, result.mutu_high, result.crosses_boundary) == ("B", "B", False)


def test_narrow_interval_inside_one_grade(scale_2017: GradeScale) -> None:
    answers = [[4] * 9] * 20 + [[4] * 8 + [3]] * 20
    means = [sum(row) / 9 for row in answers]
    se = 25 * statistics.stdev(means) / math.sqrt(40)
    centre = 25 * statistics.fmean(means)  # 98,6111
    result = konversi_interval(answers, scale_2017)
    assert math.isclose(result.standard_error, se, rel_tol=1e-12)
    assert (result.low, result.high) == (
        half_up_2(centre - Z_95 * se),
        half_up_2(centre + Z_95 * se),
    )
    assert (result.low, result.high) == (98.18, 99.05)
    assert (result.mutu_low, result.mutu_high, result.crosses_boundary) == ("A", "A", False)


def test_equals_classic_interval_of_row_means_without_blanks(scale_2017: GradeScale) -> None:
    rng = np.random.default_rng(95)
    for n in (2, 7, 60, 400):
        answers = rng.integers(1, 5, size=(n, 9))
        means = [Fraction(int(row.sum()), 9) for row in answers]
        se = 25 * statistics.stdev(means) / math.sqrt(n)
        centre = float(25 * sum(means, Fraction(0)) / n)
        result = konversi_interval(answers, scale_2017)
        assert math.isclose(result.standard_error, se, rel_tol=1e-12)
        assert result.low == max(25.0, half_up_2(centre - Z_95 * se))
        assert result.high == min(100.0, half_up_2(centre + Z_95 * se))
        assert result.konversi == score_matrix(answers, scale_2017).konversi


def test_blanks_use_the_linearisation(scale_2017: GradeScale) -> None:
    answers: list[list[int | None]] = [
        [4, 3, None],
        [3, None, 2],
        [None, 4, 4],
        [2, 2, 3],
        [4, 4, 4],
        [3, 3, None],
    ]
    n, u = 6, 3
    # Per respondent, the answered unsur only: a_rj = 1 exactly for these.
    given = [{j: v for j, v in enumerate(row) if v is not None} for row in answers]
    counts = [sum(j in row for row in given) for j in range(u)]
    nrr = [Fraction(sum(row.get(j, 0) for row in given), counts[j]) for j in range(u)]
    assert counts == [5, 5, 4]
    # z_r = 25/U x Σ_j a_rj (x_rj - NRR_j) x n / C_j, written out by hand.
    z = [
        Fraction(25, u)
        * sum(((x - nrr[j]) * Fraction(n, counts[j]) for j, x in row.items()), Fraction(0))
        for row in given
    ]
    z_mean = sum(z, Fraction(0)) / n
    variance = sum((zr - z_mean) ** 2 for zr in z) / (n - 1) / n
    result = konversi_interval(answers, scale_2017)
    assert math.isclose(result.standard_error, math.sqrt(variance), rel_tol=1e-12)
    centre = 25 * sum(nrr, Fraction(0)) / u
    half = Z_95 * math.sqrt(variance)
    assert result.low == half_up_2(float(centre) - half)
    assert result.high == half_up_2(float(centre) + half)
    # Row means over the answered items would give another standard error.
    means = [statistics.fmean([v for v in row if v is not None]) for row in answers]
    assert not math.isclose(result.standard_error, 25 * statistics.stdev(means) / math.sqrt(n))


def test_interval_is_clipped_to_the_scale(scale_2017: GradeScale) -> None:
    # Row means 1 and 4: sd 3/√2, SE of the konversi 25 x 1,5 = 37,5.
    result = konversi_interval([[1] * 9, [4] * 9], scale_2017)
    assert result.standard_error == pytest.approx(37.5, rel=1e-12)  # a BLAS dot product, as above
    assert (result.konversi, result.low, result.high) == (62.5, 25.0, 100.0)
    assert (result.mutu_low, result.mutu_high, result.crosses_boundary) == ("D", "A", True)


@pytest.mark.parametrize(
    ("answers", "kwargs", "message"),
    [
        ([[4, 3, 4]], {}, "minimal 2 responden"),
        (
            HAND,
            {"population": 3},
            r"Populasi \(N = 3\) lebih kecil dari jumlah responden \(n = 4\)",
        ),
        (HAND, {"population": 0}, "Populasi harus minimal 1"),
        (HAND, {"population": 10.5}, "Populasi harus bilangan bulat"),
        (HAND, {"level": 0}, "Tingkat kepercayaan"),
        (HAND, {"level": 1.0}, "Tingkat kepercayaan"),
        (HAND, {"level": 95}, "Tingkat kepercayaan"),
        (HAND, {"level": True}, "Tingkat kepercayaan"),
        (HAND, {"level": "0.95"}, "Tingkat kepercayaan"),
        ([[4, 5], [4, 4]], {}, "ditemukan 5 pada baris 1, unsur ke-2"),
        ([[4, None], [4, None]], {}, "Unsur ke-2 belum memiliki jawaban"),
        ([], {}, "kosong"),
    ],
)
def test_konversi_interval_rejects(
    scale_2017: GradeScale, answers: object, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        konversi_interval(answers, scale_2017, **kwargs)  # type: ignore[arg-type]
