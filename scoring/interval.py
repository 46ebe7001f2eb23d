"""Confidence interval of the nilai konversi, for reading a grade with care.

Permenpan RB 14/2017 publishes a point value only. A unit with 40
respondents and a konversi of 88,40 is graded A, yet its sampling error
easily spans the 88,31 bound; this module says so (``crosses_boundary``).
It never changes the official konversi or mutu.

The IKM is a mean of per-unsur ratio means :math:`S_j / C_j` whose
denominators differ when answers are blank, so the standard error comes
from a linearisation (Taylor series / delta method) of that statistic,
computed from each respondent's influence on it (Wolter, K. M. (2007).
*Introduction to Variance Estimation*, 2nd ed., ch. 6; Cochran, W. G.
(1977). *Sampling Techniques*, 3rd ed., §2.15 and §6.3 for the finite
population correction).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt

from scoring._validation import as_positive_int, parse_answers
from scoring.grades import GradeScale
from scoring.ikm import score_aggregates
from scoring.rounding import exact_konversi_centi, round_half_up_centi_ratio

__all__ = ["KonversiInterval", "konversi_interval"]


@dataclass(frozen=True)
class KonversiInterval:
    """Confidence interval of the nilai konversi.

    Attributes
    ----------
    konversi : float
        The official konversi, rounded half-up to two decimals.
    low, high : float
        Interval ends, rounded half-up to two decimals and clipped to the
        scale (25–100).
    standard_error : float
        Standard error of the konversi (finite population correction
        included).
    level : float
        Confidence level, e.g. 0.95.
    respondents : int
        n, rows of the answer matrix.
    population : int or None
        N, people served in the periode, when given.
    finite_population_correction : float
        :math:`\\sqrt{(N - n)/(N - 1)}`; 1.0 when N is unknown.
    mutu_low, mutu_high : str
        Grades of the rounded ``low`` and ``high``.
    crosses_boundary : bool
        True when ``mutu_low != mutu_high``: the sample cannot tell the two
        grades apart at this level.
    """

    konversi: float
    low: float
    high: float
    standard_error: float
    level: float
    respondents: int
    population: int | None
    finite_population_correction: float
    mutu_low: str
    mutu_high: str
    crosses_boundary: bool


def konversi_interval(
    answers: npt.ArrayLike | Sequence[Any],
    scale: GradeScale,
    *,
    population: int | None = None,
    level: float = 0.95,
) -> KonversiInterval:
    """Normal-approximation confidence interval of the konversi.

    With n respondents, :math:`a_{rj} = 1` when respondent r answered unsur j,
    :math:`C_j = \\sum_r a_{rj}` and :math:`\\mathrm{NRR}_j = S_j / C_j`, the
    konversi :math:`K = \\frac{25}{U} \\sum_j \\mathrm{NRR}_j` is linearised
    through the influence of each respondent

    .. math:: z_r = \\frac{25}{U} \\sum_{j=1}^{U} a_{rj}
              (x_{rj} - \\mathrm{NRR}_j) \\frac{n}{C_j}

    and

    .. math:: \\mathrm{SE}(K) = \\sqrt{\\frac{1}{n} \\cdot
              \\frac{\\sum_r (z_r - \\bar z)^2}{n - 1}} \\cdot \\mathrm{FPC},
              \\quad \\mathrm{FPC} = \\sqrt{\\frac{N - n}{N - 1}}

    (FPC = 1 when N is unknown). The interval is
    :math:`K \\pm z_{(1+\\text{level})/2}\\,\\mathrm{SE}` around the exact
    (unrounded) K, with the normal quantile from
    :meth:`statistics.NormalDist.inv_cdf`. Without blanks
    :math:`z_r = 25 (m_r - \\bar m)` for the respondent means :math:`m_r`, and
    this is 25 times the textbook interval of the mean of :math:`m_r`.

    Parameters
    ----------
    answers : array_like, shape (n, U)
        As for :func:`scoring.ikm.score_matrix` (blank = None, NaN or 0).
    scale : GradeScale
        Category table, to grade both ends.
    population : int, optional
        N, the people served in the periode; N >= n.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    KonversiInterval

    Raises
    ------
    ValueError
        Any error of :func:`scoring.ikm.score_matrix`; fewer than 2
        respondents; N not an integer, N < 1 or N < n; a level outside (0, 1).
    """
    check_level(level)
    values, answered = parse_answers(answers, allow_blank=True)
    n, unsur_count = values.shape
    if n < 2:
        raise ValueError(f"Selang kepercayaan memerlukan minimal 2 responden; baru ada {n}.")
    sums = values.sum(axis=0)
    counts = answered.sum(axis=0, dtype=np.int64)
    official = score_aggregates(sums, counts, scale, respondents=n)

    population, fpc = finite_population_correction(population, n)

    nrr = sums / counts
    deviation = np.where(answered, values - nrr, 0.0)
    influence = (25.0 / unsur_count) * (deviation * (n / counts)).sum(axis=1)
    centred = influence - influence.mean()
    standard_error = math.sqrt(float(centred @ centred) / (n - 1) / n) * fpc

    return interval_around(
        sums, counts, official.konversi, standard_error, scale,
        respondents=n, population=population, fpc=fpc, level=level,
    )  # fmt: skip


def check_level(level: object) -> None:
    """ValueError unless ``level`` is a confidence level strictly between 0 and 1."""
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not (0 < level < 1):
        raise ValueError(
            f"Tingkat kepercayaan harus di antara 0 dan 1 (misalnya 0,95); diterima {level!r}."
        )


def finite_population_correction(population: object, n: int) -> tuple[int | None, float]:
    """The checked population N and FPC = sqrt((N − n) / (N − 1)); 1.0 when N is unknown."""
    if population is None:
        return None, 1.0
    checked = as_positive_int(population, "Populasi")
    if checked < n:
        raise ValueError(
            f"Populasi (N = {checked}) lebih kecil dari jumlah responden "
            f"(n = {n}). Populasi adalah jumlah orang yang dilayani dalam "
            "periode survei; periksa kembali angkanya."
        )
    return checked, math.sqrt((checked - n) / (checked - 1))


def interval_around(
    sums: npt.ArrayLike,
    counts: npt.ArrayLike,
    konversi: float,
    standard_error: float,
    scale: GradeScale,
    *,
    respondents: int,
    population: int | None,
    fpc: float,
    level: float,
) -> KonversiInterval:
    """konversi ± z_(1+level)/2 x SE around the exact konversi, rounded and graded.

    Built on the exact konversi in hundredths, so a zero-width interval
    (N == n, or identical respondents) rounds exactly like the official
    value, ties included, instead of a float that sits just below it.
    """
    critical = NormalDist().inv_cdf(0.5 + level / 2)
    centre = exact_konversi_centi(sums, counts)
    half_width = Fraction(critical * standard_error) * 100
    low_centi = _clip(_round_centi(centre - half_width), scale)
    high_centi = _clip(_round_centi(centre + half_width), scale)
    mutu_low = scale.grade_for_centi(low_centi).mutu
    mutu_high = scale.grade_for_centi(high_centi).mutu
    return KonversiInterval(
        konversi=konversi,
        low=low_centi / 100,
        high=high_centi / 100,
        standard_error=standard_error,
        level=float(level),
        respondents=respondents,
        population=population,
        finite_population_correction=fpc,
        mutu_low=mutu_low,
        mutu_high=mutu_high,
        crosses_boundary=mutu_low != mutu_high,
    )


def _round_centi(value: Fraction) -> int:
    return round_half_up_centi_ratio(value.numerator, value.denominator)


def _clip(centi: int, scale: GradeScale) -> int:
    return min(max(centi, scale.minimum_centi), scale.maximum_centi)
