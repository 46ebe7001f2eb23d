"""The konversi interval from database aggregates instead of respondent rows.

:func:`scoring.interval.konversi_interval` needs the answer matrix, one row
per respondent. A dashboard over a quarter of a million responses must not
pull those rows out of the database, so this module splits the same
computation in two:

1. :func:`influence_coefficients` turns the per-unsur aggregates (which the
   database has already summed for the IKM) into the centre
   :math:`\\mathrm{NRR}_j` and weight :math:`w_j` of each unsur in the
   respondent's influence

   .. math:: z_r = \\sum_{j=1}^{U} a_{rj} (x_{rj} - \\mathrm{NRR}_j)\\, w_j,
             \\quad w_j = \\frac{25}{U} \\cdot \\frac{n}{C_j}

   (the linearisation of :func:`scoring.interval.konversi_interval`, where
   :math:`a_{rj} = 1` when respondent r answered unsur j).
2. The database sums :math:`z_r` and :math:`z_r^2` over the respondents in
   one more pass (a blank answer contributes nothing), and
   :func:`konversi_interval_from_influence` finishes exactly as
   ``konversi_interval`` does, with
   :math:`\\sum_r (z_r - \\bar z)^2 = \\sum_r z_r^2 - (\\sum_r z_r)^2 / n`.

Both paths give the same interval for the same responses (tested against
``konversi_interval`` on data with blanks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from scoring._validation import as_aggregate_array, as_positive_int
from scoring.grades import GradeScale
from scoring.ikm import score_aggregates
from scoring.interval import (
    KonversiInterval,
    check_level,
    finite_population_correction,
    interval_around,
)

__all__ = [
    "InfluenceCoefficients",
    "influence_coefficients",
    "influence_sums_from_products",
    "konversi_interval_from_influence",
]


@dataclass(frozen=True)
class InfluenceCoefficients:
    """Per-unsur ``centre`` (:math:`\\mathrm{NRR}_j`) and ``weight`` (:math:`w_j`)."""

    centre: tuple[float, ...]
    weight: tuple[float, ...]


def _aggregates(
    sums: npt.ArrayLike, counts: npt.ArrayLike, respondents: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int]:
    s = as_aggregate_array(sums, "Jumlah nilai", ndim=1)
    c = as_aggregate_array(counts, "Jumlah jawaban", ndim=1)
    n = as_positive_int(respondents, "Jumlah responden")
    if n < 2:
        raise ValueError(f"Selang kepercayaan memerlukan minimal 2 responden; baru ada {n}.")
    return s, c, n


def influence_coefficients(
    sums: npt.ArrayLike, counts: npt.ArrayLike, respondents: int, scale: GradeScale
) -> InfluenceCoefficients:
    """Centre and weight of each unsur in the influence :math:`z_r` (see module docstring).

    Parameters
    ----------
    sums, counts : array_like of int, shape (U,)
        :math:`S_j` and :math:`C_j` of the respondents in the interval.
    respondents : int
        n, at least 2 and at least every :math:`C_j`.
    scale : GradeScale
        Category table (the aggregates are checked as for scoring).

    Raises
    ------
    ValueError
        As :func:`scoring.ikm.score_aggregates`, or fewer than 2 respondents.
    """
    s, c, n = _aggregates(sums, counts, respondents)
    score_aggregates(s, c, scale, respondents=n)  # the same checks as scoring
    unsur_count = s.shape[0]
    centre = tuple(float(x) for x in s / c)
    weight = tuple(float(x) for x in (25.0 / unsur_count) * (n / c))
    return InfluenceCoefficients(centre, weight)


def konversi_interval_from_influence(
    sums: npt.ArrayLike,
    counts: npt.ArrayLike,
    respondents: int,
    influence_sum: float,
    influence_square_sum: float,
    scale: GradeScale,
    *,
    population: int | None = None,
    level: float = 0.95,
) -> KonversiInterval:
    """The interval of :func:`scoring.interval.konversi_interval` from sums of :math:`z_r`.

    .. math:: \\mathrm{SE}(K) = \\sqrt{\\frac{1}{n} \\cdot
              \\frac{\\sum_r z_r^2 - (\\sum_r z_r)^2 / n}{n - 1}} \\cdot \\mathrm{FPC}

    Parameters
    ----------
    sums, counts : array_like of int, shape (U,)
        :math:`S_j` and :math:`C_j`.
    respondents : int
        n, at least 2.
    influence_sum, influence_square_sum : float
        :math:`\\sum_r z_r` and :math:`\\sum_r z_r^2` with the coefficients of
        :func:`influence_coefficients` for these aggregates.
    scale, population, level
        As for :func:`scoring.interval.konversi_interval`.

    Raises
    ------
    ValueError
        As :func:`scoring.interval.konversi_interval`, or a negative or
        non-finite sum of squares.
    """
    check_level(level)
    s, c, n = _aggregates(sums, counts, respondents)
    official = score_aggregates(s, c, scale, respondents=n)
    total = float(influence_sum)
    squares = float(influence_square_sum)
    # Float sums can leave a hair below zero when every respondent answered
    # alike (the variance is then zero); anything further below is a bug.
    tolerance = 1e-9 * n * ((scale.maximum_centi - scale.minimum_centi) / 100) ** 2
    if not (math.isfinite(total) and math.isfinite(squares)) or squares < -tolerance:
        raise ValueError("Jumlah kuadrat pengaruh responden harus bilangan hingga yang >= 0.")

    population, fpc = finite_population_correction(population, n)

    centred = max(squares - total * total / n, 0.0)
    standard_error = math.sqrt(centred / (n - 1) / n) * fpc

    return interval_around(
        s, c, official.konversi, standard_error, scale,
        respondents=n, population=population, fpc=fpc, level=level,
    )  # fmt: skip


def influence_sums_from_products(
    sums: npt.ArrayLike,
    counts: npt.ArrayLike,
    respondents: int,
    products: npt.ArrayLike,
    both: npt.ArrayLike,
    partial: npt.ArrayLike,
) -> tuple[float, float]:
    """:math:`\\sum_r z_r` and :math:`\\sum_r z_r^2` from pairwise sums, without respondent rows.

    With :math:`a_{rj}` = 1 when respondent r answered unsur j and
    :math:`x_{rj}` the answer (0 when blank), expanding :math:`z_r^2` gives

    .. math:: \\sum_r z_r^2 = \\sum_{j,k} w_j w_k \\big(XX_{jk} - c_k XA_{jk}
              - c_j XA_{kj} + c_j c_k AA_{jk}\\big)

    where :math:`XX_{jk} = \\sum_r x_{rj} x_{rk}`, :math:`XA_{jk} = \\sum_r x_{rj}
    a_{rk}` and :math:`AA_{jk} = \\sum_r a_{rj} a_{rk}` are integer sums that add
    over any partition of the respondents (days, units), and :math:`c_j`,
    :math:`w_j` are those of :func:`influence_coefficients`. The sum is taken
    in exact rational arithmetic, so the centring loses nothing however
    many respondents there are; only the result is rounded to float.

    Parameters
    ----------
    sums, counts : array_like of int, shape (U,)
        :math:`S_j` and :math:`C_j`.
    respondents : int
        n, at least 2.
    products, both, partial : array_like of int, shape (U, U)
        :math:`XX`, :math:`AA` and :math:`XA` (diagonals :math:`\\sum x_j^2`,
        :math:`C_j` and :math:`S_j`).
    """
    s, c, n = _aggregates(sums, counts, respondents)
    unsur_count = s.shape[0]
    xx = np.asarray(products, dtype=np.int64).reshape(unsur_count, unsur_count)
    aa = np.asarray(both, dtype=np.int64).reshape(unsur_count, unsur_count)
    xa = np.asarray(partial, dtype=np.int64).reshape(unsur_count, unsur_count)
    if np.any(c <= 0):
        raise ValueError("Setiap unsur memerlukan minimal satu jawaban.")
    centre = [Fraction(int(s[j]), int(c[j])) for j in range(unsur_count)]
    weight = [Fraction(25 * n, unsur_count * int(c[j])) for j in range(unsur_count)]
    total = sum((weight[j] * (int(s[j]) - centre[j] * int(c[j])) for j in range(unsur_count)),
                Fraction(0))  # fmt: skip
    squares = Fraction(0)
    for j in range(unsur_count):
        for k in range(unsur_count):
            moment = (
                int(xx[j, k])
                - centre[k] * int(xa[j, k])
                - centre[j] * int(xa[k, j])
                + centre[j] * centre[k] * int(aa[j, k])
            )
            squares += weight[j] * weight[k] * moment
    return float(total), float(squares)
