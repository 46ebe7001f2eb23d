"""Exact half-up rounding of the konversi to hundredths."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from scoring.rounding import (
    exact_konversi_centi,
    konversi_centi,
    round_half_up_centi_ratio,
)
from tests.scoring.reference import exact_konversi, naive_sum, reference_centi, spread


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (17661, 2, 8831),  # 8830,5 -> 8831: the tie goes up
        (1, 2, 1),
        (3, 2, 2),
        (5, 2, 3),  # Python's round(2.5) would give 2
        (7, 3, 2),
        (8, 3, 3),
        (0, 7, 0),
        (-1, 2, 0),  # floor(x + 1/2): ties toward +infinity
        (-3, 2, -1),
        (2500 * 353, 100, 8825),
        (2 * 10**30 + 1, 2, 10**30 + 1),  # far beyond float precision
    ],
)
def test_round_half_up(numerator: int, denominator: int, expected: int) -> None:
    assert round_half_up_centi_ratio(numerator, denominator) == expected


def test_round_half_up_is_not_bankers_rounding() -> None:
    for k in range(-5, 6):
        assert round_half_up_centi_ratio(2 * k + 1, 2) == k + 1
    assert round(2.5) == 2  # the built-in, for contrast


def test_round_half_up_accepts_numpy_integers() -> None:
    assert round_half_up_centi_ratio(np.int64(17661), np.int32(2)) == 8831


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(1, 0), (1, -2), (2.5, 1), (1, 2.0), (True, 2), ("3", 2)],
)
def test_round_half_up_rejects(numerator: object, denominator: object) -> None:
    with pytest.raises(ValueError):
        round_half_up_centi_ratio(numerator, denominator)  # type: ignore[arg-type]


def test_konversi_centi_matches_fractions_on_random_data() -> None:
    rng = np.random.default_rng(20171)
    counts = rng.integers(1, 40, size=(4000, 9))
    sums = counts + (rng.random((4000, 9)) * 3 * counts).round().astype(np.int64)
    got = konversi_centi(sums, counts)
    expected = [reference_centi(s, c) for s, c in zip(sums, counts, strict=True)]
    assert got.dtype == np.int64
    assert got.tolist() == expected


def test_konversi_centi_exact_ties_go_up() -> None:
    # 9 unsur, 8 answers each: konversi = 2500/72 x Σ S, a tie for every
    # Σ S = 9k with k odd. Every one must round up.
    totals = [9 * k for k in range(9, 32, 2)]
    sums = np.array([spread(t, 9) for t in totals])
    counts = np.full_like(sums, 8)
    for s in sums:
        assert (exact_konversi(s, [8] * 9) * 100).denominator == 2  # x,yz5 exactly
    expected = [int(Fraction(2500 * t, 72) + Fraction(1, 2)) for t in totals]
    assert konversi_centi(sums, counts).tolist() == expected


# Exact ties at the three 2017 bounds (9 unsur x 10 000 answers, so the
# konversi is Σ S / 3600 exactly), split so that plain float arithmetic,
# Σ (S_j / C_j) / 9 x 25, lands just below the tie and rounds down.
FLOAT_TIES = [
    ([27970, 37175, 33239, 39954, 32749, 39867, 36236, 36299, 34409], 8831),
    ([38644, 33632, 37174, 38123, 39058, 33818, 35663, 33782, 28004], 8831),
    ([26018, 30650, 23172, 39637, 35713, 31286, 36691, 36293, 16318], 7661),
    ([29769, 23070, 33278, 20631, 23887, 21656, 28100, 29594, 23997], 6500),
]


@pytest.mark.parametrize(("sums", "expected"), FLOAT_TIES)
def test_konversi_centi_tie_that_float_gets_wrong(sums: list[int], expected: int) -> None:
    exact = exact_konversi(sums, [10000] * 9)
    assert exact * 100 == Fraction(2 * expected - 1, 2)  # exactly on the tie
    naive = naive_sum(s / 10000 for s in sums) / 9 * 25
    assert Fraction(naive) < exact  # the float is just below the tie ...
    assert round(naive, 2) == (expected - 1) / 100  # ... so naive rounding goes down
    assert konversi_centi([sums], [[10000] * 9]).tolist() == [expected]


# Ties where the vectorised float path itself (2500 x mean(S / C)) came out
# below the tie with numpy 2 on x86-64; whatever numpy does, the exact
# fallback must give the half-up result.
NUMPY_FLOAT_TIES = [
    ([26368, 38055, 31238, 35503, 23009, 36039, 28945, 32929, 23692], 7661),
    ([29467, 30841, 25421, 21388, 25545, 35716, 26023, 29331, 10250], 6500),
]


@pytest.mark.parametrize(("sums", "expected"), NUMPY_FLOAT_TIES)
def test_konversi_centi_tie_below_in_numpy(sums: list[int], expected: int) -> None:
    assert exact_konversi(sums, [10000] * 9) * 100 == Fraction(2 * expected - 1, 2)
    assert konversi_centi([sums], [[10000] * 9]).tolist() == [expected]


@pytest.mark.parametrize("offset", [-1, 1])
def test_konversi_centi_near_tie_is_decided_exactly(offset: int) -> None:
    # 2500 x S / C = 8830,5 +- 2,5e-7: inside the float tolerance band,
    # so the exact path must decide it, and decide it by the sign.
    count = 10**10 // 4
    total = 35322 * count // 10000 + offset
    expected = reference_centi([total], [count])
    assert expected == (8831 if offset > 0 else 8830)
    assert konversi_centi([[total]], [[count]]).tolist() == [expected]


def test_exact_konversi_centi_is_the_unrounded_value() -> None:
    sums, counts = [13, 12, 13, 12], [4, 4, 4, 4]
    assert exact_konversi_centi(sums, counts) == exact_konversi(sums, counts) * 100
    assert exact_konversi_centi(sums, counts) == Fraction(15625, 2)


def test_konversi_centi_accepts_integral_floats() -> None:
    assert konversi_centi([[40.0, 36.0]], [[10.0, 10.0]]).tolist() == [9500]


@pytest.mark.parametrize(
    ("sums", "counts", "match"),
    [
        ([[1, 2]], [[1, 0]], "unsur ke-2 belum memiliki jawaban"),
        ([[1, 2]], [[1, 1, 1]], "harus sama"),
        ([1, 2], [1, 1], "berdimensi 2"),
        ([[-1, 2]], [[1, 1]], "negatif"),
        ([[1.5, 2]], [[1, 1]], "bilangan bulat"),
        ([[np.nan, 2]], [[1, 1]], "bilangan bulat"),
        ([[1, 2]], [[True, True]], "bilangan bulat"),
        ([[]], [[]], "minimal satu unsur"),
    ],
)
def test_konversi_centi_rejects(sums: object, counts: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        konversi_centi(sums, counts)  # type: ignore[arg-type]
