"""The interval from aggregates equals the interval from respondent rows."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from scoring.grades import GradeScale
from scoring.interval import konversi_interval
from scoring.interval_aggregates import influence_coefficients, konversi_interval_from_influence


def influence_sums(
    rows: list[list[int | None]], scale: GradeScale
) -> tuple[list[int], list[int], float, float]:
    """S_j, C_j and Σz, Σz² the way a database pass would sum them."""
    u = len(rows[0])
    sums = [sum(r[j] for r in rows if r[j] is not None) for j in range(u)]
    counts = [sum(r[j] is not None for r in rows) for j in range(u)]
    coefficients = influence_coefficients(sums, counts, len(rows), scale)
    z = [
        sum(
            (r[j] - coefficients.centre[j]) * coefficients.weight[j]
            for j in range(u)
            if r[j] is not None
        )
        for r in rows
    ]
    return sums, counts, math.fsum(z), math.fsum(v * v for v in z)


def random_rows(seed: int, n: int, u: int, blank_rate: float) -> list[list[int | None]]:
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 5, size=(n, u))
    blank = rng.random((n, u)) < blank_rate
    blank[0] = False  # every unsur keeps at least one answer
    return [[None if blank[r, j] else int(values[r, j]) for j in range(u)] for r in range(n)]


@pytest.mark.parametrize(("seed", "n", "blank_rate"), [(1, 12, 0.0), (2, 40, 0.15), (3, 500, 0.3)])
@pytest.mark.parametrize("population", [None, 5000])
def test_same_interval_as_from_rows(scale_2017, seed, n, blank_rate, population) -> None:
    rows = random_rows(seed, n, 9, blank_rate)
    sums, counts, total, squares = influence_sums(rows, scale_2017)
    from_rows = konversi_interval(rows, scale_2017, population=population)
    from_sums = konversi_interval_from_influence(
        sums, counts, n, total, squares, scale_2017, population=population
    )
    assert math.isclose(from_sums.standard_error, from_rows.standard_error, rel_tol=1e-9)
    assert (from_sums.low, from_sums.high) == (from_rows.low, from_rows.high)
    assert (from_sums.mutu_low, from_sums.mutu_high) == (from_rows.mutu_low, from_rows.mutu_high)
    assert from_sums.konversi == from_rows.konversi
    assert from_sums.finite_population_correction == from_rows.finite_population_correction


def test_coefficients_by_hand(scale_2017) -> None:
    # Three respondents, two unsur; the second left blank once.
    rows = [[4, 3], [3, None], [2, 4]]
    coefficients = influence_coefficients([9, 7], [3, 2], 3, scale_2017)
    assert coefficients.centre == (3.0, 3.5)
    # w_j = 25/U x n/C_j = 12,5 x 3/3 and 12,5 x 3/2
    # Two float operations each; exact for these dyadic values, but only by luck of the numbers.
    assert coefficients.weight == pytest.approx((12.5, 18.75), rel=1e-15)
    # z = (1 x 12,5 - 0,5 x 18,75, 0, -1 x 12,5 + 0,5 x 18,75) = (3,125, 0, -3,125)
    sums, counts, total, squares = influence_sums(rows, scale_2017)
    # A numpy sum of squares: its order, and so its last bit, may vary by release.
    assert total == 0 and squares == pytest.approx(2 * 3.125**2, rel=1e-12)
    result = konversi_interval_from_influence(sums, counts, 3, total, squares, scale_2017)
    # SE = sqrt(19,53125 / 2 / 3) = sqrt(3,2552083)
    assert math.isclose(result.standard_error, math.sqrt(float(Fraction(625, 192))))


def test_identical_respondents_give_a_zero_width_interval(scale_2017) -> None:
    rows = [[3, 3, 4]] * 10
    sums, counts, total, _ = influence_sums(rows, scale_2017)
    # A float sum of squares a hair below zero must not break the square root.
    result = konversi_interval_from_influence(sums, counts, 10, total, -1e-18, scale_2017)
    assert result.standard_error == 0
    assert result.low == result.high == result.konversi == 83.33


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"respondents": 1}, "minimal 2 responden"),
        ({"influence_square_sum": -5.0}, ">= 0"),
        ({"influence_square_sum": float("nan")}, ">= 0"),
        ({"population": 3}, r"Populasi \(N = 3\) lebih kecil"),
        ({"level": 1.0}, "Tingkat kepercayaan"),
    ],
)
def test_bad_input_is_refused_with_a_message(scale_2017, kwargs, message) -> None:
    arguments = {
        "sums": [12, 13],
        "counts": [4, 4],
        "respondents": 4,
        "influence_sum": 0.0,
        "influence_square_sum": 10.0,
        "scale": scale_2017,
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        konversi_interval_from_influence(**arguments)
