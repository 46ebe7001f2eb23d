"""Exact half-up rounding of the nilai konversi to hundredths.

Permenpan RB 14/2017 grades the konversi *as printed*, i.e. rounded to two
decimals, and the bands meet at 88,30 | 88,31, 76,60 | 76,61 and
64,99 | 65,00. A float cannot be trusted at those edges: the exact konversi
88,305 (which rounds half-up to 88,31, grade A) is computed in float64 as
88.30499999999999 for some data and then rounds to 88,30, grade B. This
module therefore works in hundredths of a konversi point ("centi", 8831 for
88,31) and decides every rounding with integers or
:class:`fractions.Fraction`.

"Half-up" here is ``floor(x + 1/2)``: a tie goes to the larger value, which
is what a person rounding 88,305 by hand writes (88,31), unlike Python's
:func:`round` (ties to even, and applied to an inexact float).
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np
import numpy.typing as npt

from scoring._validation import as_aggregate_array

__all__ = ["exact_konversi_centi", "konversi_centi", "round_half_up_centi_ratio"]

#: One answer point is worth 25 konversi points = 2500 hundredths.
CENTI_PER_POINT = 2500

# The float path is off by about 1e-11 centi at most (values <= 10 000,
# a dozen correctly rounded operations). Anything within 1e-6 of a .5 tie
# is recomputed exactly: the margin is 100 000 times the error, so no wrong
# rounding can slip through, and true near-ties (say 8830.4999999) are
# decided exactly as well.
_TIE_TOLERANCE = 1e-6


def round_half_up_centi_ratio(
    numerator: int | np.integer[Any], denominator: int | np.integer[Any]
) -> int:
    """Round the rational ``numerator / denominator`` half-up to an integer.

    .. math:: \\operatorname{round}(p/q) = \\left\\lfloor \\frac{p}{q} + \\frac12
              \\right\\rfloor = \\left\\lfloor \\frac{2p + q}{2q} \\right\\rfloor

    Pure integer arithmetic, so it is exact for any size of integer. Used
    with ``numerator = 2500 * S`` and ``denominator = C`` it gives the
    konversi of one unsur in hundredths (Permenpan RB 14/2017, Lampiran:
    konversi = NRR x 25, rounded to two decimals).

    Parameters
    ----------
    numerator : int
        Any integer (numpy integers accepted).
    denominator : int
        A positive integer.

    Returns
    -------
    int
        ``floor(numerator / denominator + 1/2)``; ties go up (toward +inf).

    Raises
    ------
    ValueError
        If an argument is not an integer or ``denominator <= 0``.

    Examples
    --------
    >>> round_half_up_centi_ratio(17661, 2)  # 8830.5 -> 8831
    8831
    >>> round_half_up_centi_ratio(2500 * 353, 100)  # NRR 3,53 -> 88,25
    8825
    """
    p = _integer(numerator, "Pembilang")
    q = _integer(denominator, "Penyebut")
    if q <= 0:
        raise ValueError(f"Penyebut harus bilangan bulat positif; diterima {q}.")
    return (2 * p + q) // (2 * q)


def _integer(value: object, what: str) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{what} harus bilangan bulat, bukan {value!r}.")
    if not isinstance(value, (int, np.integer)):
        raise ValueError(f"{what} harus bilangan bulat (pembulatan ini eksak); diterima {value!r}.")
    return int(value)


def exact_konversi_centi(sums: npt.ArrayLike, counts: npt.ArrayLike) -> Fraction:
    """Exact (unrounded) konversi of one group, in hundredths, as a Fraction.

    .. math:: x = \\frac{2500}{U} \\sum_{j=1}^{U} \\frac{S_j}{C_j}
              = \\frac{2500 \\sum_j S_j \\, (L / C_j)}{U L},
              \\quad L = \\operatorname{lcm}(C_1, \\dots, C_U)

    No validation: callers pass checked rows with every ``C_j > 0``.
    """
    numerator, denominator = _exact_ratio(sums, counts)
    return Fraction(numerator, denominator)


def _exact_ratio(sums: npt.ArrayLike, counts: npt.ArrayLike) -> tuple[int, int]:
    """Numerator and denominator (not reduced) of :func:`exact_konversi_centi`."""
    row_sums = [int(s) for s in np.asarray(sums).ravel()]
    row_counts = [int(c) for c in np.asarray(counts).ravel()]
    # One common denominator in Python integers: as exact as summing
    # Fractions, and about ten times faster, which matters because real data
    # (say 8 respondents on all 9 unsur) produces many exact ties.
    common = lcm(*row_counts)
    total = sum(s * (common // c) for s, c in zip(row_sums, row_counts, strict=True))
    return CENTI_PER_POINT * total, len(row_sums) * common


def konversi_centi(sums: npt.ArrayLike, counts: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Rounded IKM konversi in hundredths for many groups at once, exactly.

    For group ``g`` with ``U`` unsur, sums :math:`S_{gj}` and counts
    :math:`C_{gj}` (Permenpan RB 14/2017, Lampiran: NRR = S/C, IKM = mean of
    the NRR, konversi = IKM x 25, rounded to two decimals):

    .. math:: \\text{centi}_g = \\left\\lfloor \\frac{2500}{U}
              \\sum_{j=1}^{U} \\frac{S_{gj}}{C_{gj}} + \\frac12 \\right\\rfloor

    Fast path: ``x = 2500 * mean(S / C, axis=1)`` in float64 and
    ``floor(x + 0.5)``. That is wrong only when the exact value is a tie
    ``k + 1/2`` (or lies within float error of one): 88,305 can come out of
    float64 as 88.30499999999999 and round down to 88,30, which turns grade A
    into B. Every entry whose float ``x`` lies within ``1e-6`` of ``k + 1/2``
    is therefore recomputed exactly in rational arithmetic (Python integers
    over the common denominator, see :func:`exact_konversi_centi`); the float
    error (about 1e-11 here) is far inside that margin, so the result equals
    exact rational rounding for every group. Ties are common in real data
    (for example 9 unsur answered by 8 respondents each), so the fallback is
    a loop over those groups only.

    Parameters
    ----------
    sums, counts : array_like of int, shape (G, U)
        Sum and number of the answers per group and unsur. Every count must
        be positive (a group with an unanswered unsur has no IKM; see
        :func:`scoring.ikm.score_groups`, which masks such groups).

    Returns
    -------
    ndarray of int64, shape (G,)
        ``8831`` means a konversi of 88,31.

    Raises
    ------
    ValueError
        If shapes differ or are not 2-D, if a value is negative or not an
        integer, or if a count is 0.
    """
    s = as_aggregate_array(sums, "Jumlah nilai", ndim=2)
    c = as_aggregate_array(counts, "Jumlah jawaban", ndim=2)
    if s.shape != c.shape:
        raise ValueError(
            f"Bentuk jumlah nilai {s.shape} dan jumlah jawaban {c.shape} harus sama "
            "(kelompok x unsur)."
        )
    if s.shape[1] == 0:
        raise ValueError("Tidak ada unsur: minimal satu unsur diperlukan.")
    zero = c == 0
    if zero.any():
        group, unsur = (int(i) + 1 for i in np.argwhere(zero)[0])
        raise ValueError(
            f"Kelompok ke-{group}, unsur ke-{unsur} belum memiliki jawaban; "
            "nilai konversi tidak dapat dihitung."
        )
    return rounded_konversi_centi(s, c)


def rounded_konversi_centi(
    s: npt.NDArray[np.int64], c: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """:func:`konversi_centi` without the checks, for callers that made them.

    ``s`` and ``c`` must be int64 arrays of shape (G, U), U >= 1, every count
    positive and every sum at most ``MAX_AGGREGATE``.
    """
    x = CENTI_PER_POINT * np.mean(s / c, axis=1)
    result: npt.NDArray[np.int64] = np.floor(x + 0.5).astype(np.int64)
    near_tie = np.abs(x - np.floor(x) - 0.5) <= _TIE_TOLERANCE
    for g in np.flatnonzero(near_tie):
        result[g] = round_half_up_centi_ratio(*_exact_ratio(s[g], c[g]))
    return result
