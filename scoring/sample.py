"""Minimum sample size by Krejcie & Morgan (1970), as Permenpan RB 14/2017 allows.

Krejcie, R. V. & Morgan, D. W. (1970). Determining sample size for research
activities. *Educational and Psychological Measurement*, 30(3), 607–610:

.. math:: s = \\frac{X^2 N P (1 - P)}{d^2 (N - 1) + X^2 P (1 - P)}

with :math:`X^2 = 3{,}841` (chi-square, 1 df, 0,95), :math:`P = 0{,}5`,
:math:`d = 0{,}05` and :math:`N` the population (people served in the
periode). Computed exactly and rounded to the nearest integer (ties up),
the formula reproduces all 90 rows of the paper's Table 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np
import numpy.typing as npt

from scoring._validation import as_int, as_positive_int
from scoring.rounding import round_half_up_centi_ratio

__all__ = [
    "SampleAdequacy",
    "krejcie_morgan",
    "krejcie_morgan_many",
    "sample_adequacy",
]

CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(1, 20)

# s = a N / (b (N - 1) + a) with a = X² P (1 - P) and b = d². Scaling a and b
# by the lcm of their denominators gives integers A, B and
# s = A N / (B N + A - B) = 3841 N / (10 N + 3831): one formula that int64
# evaluates exactly for a whole array of populations.
_A_FRACTION = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
_B_FRACTION = MARGIN**2
_SCALE = lcm(_A_FRACTION.denominator, _B_FRACTION.denominator)
_A = int(_A_FRACTION * _SCALE)
_B = int(_B_FRACTION * _SCALE)

# Keeps 2 * A * N (about 7.7e15) far inside int64 in krejcie_morgan_many.
_MAX_POPULATION = 10**12


def krejcie_morgan(population: int) -> int:
    """Minimum sample size for a population of ``population`` people.

    .. math:: s = \\operatorname{round}_{\\text{half-up}}
              \\frac{X^2 N P (1 - P)}{d^2 (N - 1) + X^2 P (1 - P)},
              \\quad X^2 = 3{,}841,\\ P = 0{,}5,\\ d = 0{,}05

    Krejcie & Morgan (1970), Table 1; evaluated exactly with
    :class:`fractions.Fraction` (no float error can move a .5 case).

    Parameters
    ----------
    population : int
        N >= 1.

    Returns
    -------
    int
        The minimum number of respondents; never more than N
        (100 -> 80, 1000 -> 278, 1 000 000 -> 384).

    Raises
    ------
    ValueError
        If ``population`` is not an integer or is less than 1.
    """
    n = as_positive_int(population, "Populasi")
    variance_term = CHI_SQUARE * PROPORTION * (1 - PROPORTION)  # X² P (1 - P)
    s = variance_term * n / (MARGIN**2 * (n - 1) + variance_term)
    return round_half_up_centi_ratio(s.numerator, s.denominator)


def krejcie_morgan_many(populations: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Vectorised :func:`krejcie_morgan`, exact in int64.

    With the constants of Krejcie & Morgan (1970) the formula reduces to

    .. math:: s = \\operatorname{round}_{\\text{half-up}}
              \\frac{3841\\,N}{10\\,N + 3831}
              = \\left\\lfloor \\frac{2 \\cdot 3841 N + (10 N + 3831)}
                {2 (10 N + 3831)} \\right\\rfloor

    Parameters
    ----------
    populations : array_like of int
        Any shape; every N between 1 and 10**12.

    Returns
    -------
    ndarray of int64
        Same shape as ``populations``.

    Raises
    ------
    ValueError
        If a value is not an integer, is less than 1 or is absurdly large.
    """
    array = np.asarray(populations)
    if array.dtype.kind == "f":
        integral = np.isfinite(array) & (array == np.floor(np.nan_to_num(array)))
        if not integral.all():
            raise ValueError(
                f"Populasi harus bilangan bulat; ditemukan {array[~integral].ravel()[0]!r}."
            )
    elif array.dtype.kind not in "iu":
        raise ValueError(f"Populasi harus bilangan bulat; diterima data bertipe {array.dtype}.")
    if array.size and (array.min() < 1 or array.max() > _MAX_POPULATION):
        bad = array[(array < 1) | (array > _MAX_POPULATION)].ravel()[0]
        raise ValueError(f"Populasi harus antara 1 dan {_MAX_POPULATION}; ditemukan {bad!r}.")
    n = array.astype(np.int64)
    denominator = _B * n + (_A - _B)
    return (2 * _A * n + denominator) // (2 * denominator)


@dataclass(frozen=True)
class SampleAdequacy:
    """Whether enough respondents were collected (BAB II of the SKM report).

    Attributes
    ----------
    population : int
        N, people served in the periode.
    minimum : int
        Krejcie & Morgan minimum sample for N.
    collected : int
        Responses collected.
    sufficient : bool
        ``collected >= minimum``.
    """

    population: int
    minimum: int
    collected: int
    sufficient: bool

    @property
    def label(self) -> str:
        """The wording of the report: ``"Sesuai"`` or ``"Belum Sesuai"``."""
        return "Sesuai" if self.sufficient else "Belum Sesuai"


def sample_adequacy(population: int, collected: int) -> SampleAdequacy:
    """Compare the responses collected with the Krejcie & Morgan minimum.

    .. math:: \\text{sufficient} \\iff n_{\\text{collected}} \\ge s(N)

    Parameters
    ----------
    population : int
        N >= 1.
    collected : int
        Responses collected, 0 <= collected <= N.

    Returns
    -------
    SampleAdequacy

    Raises
    ------
    ValueError
        If an argument is not an integer, N < 1, collected < 0, or more
        responses than people served (the population is then understated).
    """
    n = as_positive_int(population, "Populasi")
    count = as_int(collected, "Jumlah responden", minimum=0)
    if count > n:
        raise ValueError(
            f"Jumlah responden ({count}) melebihi populasi ({n}). Populasi adalah "
            "jumlah orang yang dilayani dalam periode survei; periksa kembali angkanya."
        )
    minimum = krejcie_morgan(n)
    return SampleAdequacy(
        population=n, minimum=minimum, collected=count, sufficient=count >= minimum
    )
