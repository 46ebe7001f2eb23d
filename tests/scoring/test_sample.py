"""Krejcie & Morgan sample size against the published table."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest

from scoring.sample import SampleAdequacy, krejcie_morgan, krejcie_morgan_many, sample_adequacy

# Krejcie, R. V. & Morgan, D. W. (1970). Determining sample size for research
# activities. Educational and Psychological Measurement, 30(3), 607-610,
# Table 1 "Table for Determining Sample Size from a Given Population"
# (N = population size, S = sample size), all 90 entries, typed from the
# published table.
KREJCIE_MORGAN_TABLE = [
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40),
    (50, 44), (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70),
    (90, 73), (95, 76), (100, 80), (110, 86), (120, 92), (130, 97), (140, 103),
    (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132), (210, 136),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162),
    (290, 165), (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196),
    (420, 201), (440, 205), (460, 210), (480, 214), (500, 217), (550, 226), (600, 234),
    (650, 242), (700, 248), (750, 254), (800, 260), (850, 265), (900, 269), (950, 274),
    (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327),
    (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346), (4000, 351),
    (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
]  # fmt: skip


def test_table_is_complete() -> None:
    assert len(KREJCIE_MORGAN_TABLE) == 90
    populations = [n for n, _ in KREJCIE_MORGAN_TABLE]
    assert populations == sorted(set(populations))


@pytest.mark.parametrize(("population", "sample"), KREJCIE_MORGAN_TABLE)
def test_published_table(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


def test_published_table_vectorised() -> None:
    populations = np.array([n for n, _ in KREJCIE_MORGAN_TABLE])
    expected = [s for _, s in KREJCIE_MORGAN_TABLE]
    assert krejcie_morgan_many(populations).tolist() == expected


def test_hand_value_for_100() -> None:
    # 3,841 x 100 x 0,25 / (0,0025 x 99 + 3,841 x 0,25) = 96,025 / 1,20775
    # = 79,507..., i.e. 3841*100/4000 / (99/400 + 3841/4000) in fractions.
    s = Fraction(3841 * 100, 4000) / (Fraction(99, 400) + Fraction(3841, 4000))
    assert s == Fraction(384100, 4831)
    assert 79 < s < 80 and s - 79 > Fraction(1, 2)
    assert krejcie_morgan(100) == 80


def test_vectorised_equals_exact_everywhere() -> None:
    populations = np.concatenate([np.arange(1, 6001), 10 ** np.arange(4, 13)])
    many = krejcie_morgan_many(populations)
    assert many.tolist() == [krejcie_morgan(int(n)) for n in populations]
    assert krejcie_morgan_many(np.array([[10, 100], [1000, 10000]])).shape == (2, 2)


def test_sample_never_exceeds_population_and_tends_to_384() -> None:
    for n in range(1, 3000):
        assert 1 <= krejcie_morgan(n) <= n
    assert krejcie_morgan(1) == 1
    assert krejcie_morgan(10**12) == 384


@pytest.mark.parametrize("population", [0, -5, 2.5, 100.0, "100", None, True])
def test_krejcie_morgan_rejects(population: object) -> None:
    with pytest.raises(ValueError, match="Populasi"):
        krejcie_morgan(population)  # type: ignore[arg-type]


@pytest.mark.parametrize("populations", [[0], [100, -1], [1.5], ["a"], [True], [10**13]])
def test_krejcie_morgan_many_rejects(populations: list[object]) -> None:
    with pytest.raises(ValueError, match="Populasi"):
        krejcie_morgan_many(populations)  # type: ignore[arg-type]


def test_krejcie_morgan_many_accepts_integral_floats() -> None:
    assert krejcie_morgan_many([100.0, 1000.0]).tolist() == [80, 278]


@pytest.mark.parametrize(
    ("population", "collected", "sufficient", "label"),
    [(100, 80, True, "Sesuai"), (100, 79, False, "Belum Sesuai"), (1000, 0, False, "Belum Sesuai")],
)
def test_sample_adequacy(population: int, collected: int, sufficient: bool, label: str) -> None:
    result = sample_adequacy(population, collected)
    assert result == SampleAdequacy(population, krejcie_morgan(population), collected, sufficient)
    assert result.label == label
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.collected = 1000  # type: ignore[misc]


@pytest.mark.parametrize(
    ("population", "collected", "message"),
    [
        (0, 0, "Populasi harus minimal 1"),
        (100, -1, "Jumlah responden harus minimal 0"),
        (100, 101, r"melebihi populasi"),
        (100, 80.0, "bilangan bulat"),
    ],
)
def test_sample_adequacy_rejects(population: object, collected: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sample_adequacy(population, collected)  # type: ignore[arg-type]
