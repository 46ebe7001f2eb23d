"""Indeks Kepuasan Masyarakat (IKM) per Permenpan RB 14/2017.

The method (Lampiran Permenpan RB 14/2017; see ``shared/reference/skm-method.md``):

1. :math:`\\mathrm{NRR}_j = S_j / C_j`, the mean answer (1–4) of unsur
   :math:`j` over the :math:`C_j` respondents who answered it. A blank answer
   leaves the denominator; it is never scored 0 and never imputed.
2. NRR tertimbang :math:`= \\mathrm{NRR}_j / U` with the exact weight
   :math:`1/U` (1/9 for the nine unsur of 2017). Reports print "x 0,111",
   but with 0,111 a perfect survey would score 99,9.
3. :math:`\\mathrm{IKM} = \\sum_j \\mathrm{NRR}_j / U` (scale 1–4).
4. Nilai konversi :math:`= 25 \\times \\mathrm{IKM}` (scale 25–100), rounded
   once, half-up, to two decimals; mutu and kinerja come from that rounded
   value through a :class:`~scoring.grades.GradeScale`, so a printed number
   and its grade never disagree. A single unsur is graded the same way
   from :math:`25 \\times \\mathrm{NRR}_j`.

Three entry points share one implementation: :func:`score_matrix`
(respondents x unsur answers), :func:`score_aggregates` (sums and counts per
unsur, as SQL ``GROUP BY`` returns them) and :func:`score_groups` (many
groups at once, vectorised, for per-layanan or per-periode dashboards).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from scoring._validation import (
    as_aggregate_array,
    as_int,
    format_number,
    parse_answers,
)
from scoring.grades import Grade, GradeScale
from scoring.rounding import CENTI_PER_POINT, rounded_konversi_centi

__all__ = [
    "GroupedIkm",
    "IkmResult",
    "UnsurScore",
    "score_aggregates",
    "score_groups",
    "score_matrix",
]


@dataclass(frozen=True)
class UnsurScore:
    """Score of one unsur.

    Attributes
    ----------
    sum : int
        :math:`S_j`, sum of the answers (1–4) given to this unsur.
    count : int
        :math:`C_j`, number of respondents who answered it (blanks excluded).
    nrr : float
        Nilai rata-rata :math:`S_j / C_j`, full precision.
    nrr_tertimbang : float
        :math:`\\mathrm{NRR}_j / U`, exact weight :math:`1/U` (never 0,111).
    konversi : float
        :math:`25 \\times \\mathrm{NRR}_j` rounded half-up to two decimals
        (``konversi_centi / 100``).
    konversi_centi : int
        The same in hundredths, exact: 8831 for 88,31.
    mutu, kinerja : str
        Grade of the rounded konversi, e.g. ``"A"``, ``"Sangat Baik"``.
    """

    sum: int
    count: int
    nrr: float
    nrr_tertimbang: float
    konversi: float
    konversi_centi: int
    mutu: str
    kinerja: str


@dataclass(frozen=True)
class IkmResult:
    """IKM of one unit, layanan or periode.

    Attributes
    ----------
    respondents : int or None
        Number of respondents, when known (rows of the answer matrix).
    unsur : tuple of UnsurScore
        One score per unsur, in the order given.
    ikm : float
        :math:`\\sum_j \\mathrm{NRR}_j / U` on the 1–4 scale, full precision.
    konversi_exact : float
        :math:`25 \\times \\mathrm{IKM}`, unrounded (for charts and trends; never
        for grading).
    konversi : float
        The official nilai konversi: rounded half-up to two decimals, exactly
        (``konversi_centi / 100``).
    konversi_centi : int
        The same in hundredths: 8831 for 88,31.
    mutu, kinerja : str
        Grade of the rounded konversi.
    """

    respondents: int | None
    unsur: tuple[UnsurScore, ...]
    ikm: float
    konversi_exact: float
    konversi: float
    konversi_centi: int
    mutu: str
    kinerja: str


# eq=False: generated __eq__/__hash__ would compare or hash numpy arrays,
# which raises; identity semantics are what a result object needs.
@dataclass(frozen=True, eq=False)
class GroupedIkm:
    """IKM of many groups (layanan, unit, periode) scored at once.

    Arrays have shape (G, U) per group and unsur or (G,) per group, and are
    read-only. A group in which some unsur has no answer is not
    *scorable*: its ``ikm``, ``konversi_exact`` and ``konversi`` are NaN,
    ``konversi_centi`` and ``grade_index`` are -1, and its answered unsur are
    still scored (so a dashboard can show them).

    Attributes
    ----------
    sums, counts : ndarray of int64, shape (G, U)
        :math:`S_{gj}` and :math:`C_{gj}`.
    nrr : ndarray of float64, shape (G, U)
        :math:`S_{gj} / C_{gj}`; NaN where :math:`C_{gj} = 0`.
    nrr_tertimbang : ndarray of float64, shape (G, U)
        ``nrr / U``.
    ikm : ndarray of float64, shape (G,)
        :math:`\\sum_j \\mathrm{NRR}_{gj} / U`; NaN when not scorable.
    konversi_exact : ndarray of float64, shape (G,)
        ``25 * ikm``, unrounded.
    konversi_centi : ndarray of int64, shape (G,)
        Rounded konversi in hundredths, exact; -1 when not scorable.
    konversi : ndarray of float64, shape (G,)
        ``konversi_centi / 100``; NaN when not scorable.
    grade_index : ndarray of intp, shape (G,)
        Index into ``scale.grades``; -1 when not scorable.
    unsur_konversi_centi : ndarray of int64, shape (G, U)
        Per-unsur rounded :math:`25 \\times \\mathrm{NRR}` in hundredths; -1
        where the unsur has no answer.
    unsur_grade_index : ndarray of intp, shape (G, U)
        Index into ``scale.grades`` per unsur; -1 where no answer.
    scorable : ndarray of bool, shape (G,)
        True when every unsur of the group has at least one answer.
    respondents : ndarray of int64, shape (G,), or None
        Respondents per group, when given.
    scale : GradeScale
        The category table used.
    """

    sums: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]
    nrr: npt.NDArray[np.float64]
    nrr_tertimbang: npt.NDArray[np.float64]
    ikm: npt.NDArray[np.float64]
    konversi_exact: npt.NDArray[np.float64]
    konversi_centi: npt.NDArray[np.int64]
    konversi: npt.NDArray[np.float64]
    grade_index: npt.NDArray[np.intp]
    unsur_konversi_centi: npt.NDArray[np.int64]
    unsur_grade_index: npt.NDArray[np.intp]
    scorable: npt.NDArray[np.bool_]
    respondents: npt.NDArray[np.int64] | None
    scale: GradeScale

    def __post_init__(self) -> None:
        # A frozen dataclass only freezes attribute binding; without this a
        # caller could still write into the arrays of a published result.
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    def __len__(self) -> int:
        """Number of groups G."""
        return int(self.ikm.shape[0])

    def _position(self, index: int) -> int:
        size = len(self)
        position = operator.index(index)
        if not -size <= position < size:
            raise IndexError(f"Kelompok indeks {position} tidak ada; hanya ada {size} kelompok.")
        return position % size

    def grade(self, index: int) -> Grade | None:
        """Grade of group ``index`` (0-based), or None when not scorable."""
        grade_index = int(self.grade_index[self._position(index)])
        return None if grade_index < 0 else self.scale.grades[grade_index]

    def mutu(self, index: int) -> str | None:
        """Mutu of group ``index`` (0-based), or None when not scorable."""
        grade = self.grade(index)
        return None if grade is None else grade.mutu

    def kinerja(self, index: int) -> str | None:
        """Kinerja of group ``index`` (0-based), or None when not scorable."""
        grade = self.grade(index)
        return None if grade is None else grade.kinerja

    def group(self, index: int) -> IkmResult:
        """Full :class:`IkmResult` of group ``index`` (0-based).

        Raises
        ------
        ValueError
            If the group is not scorable (an unsur without answers).
        IndexError
            If there is no such group.
        """
        g = self._position(index)
        if not self.scorable[g]:
            missing = int(np.flatnonzero(self.counts[g] == 0)[0]) + 1
            raise ValueError(
                f"Kelompok ke-{g + 1}: unsur ke-{missing} belum memiliki jawaban; "
                "NRR tidak dapat dihitung."
            )
        grades = self.scale.grades
        unsur = tuple(
            UnsurScore(
                sum=int(self.sums[g, j]),
                count=int(self.counts[g, j]),
                nrr=float(self.nrr[g, j]),
                nrr_tertimbang=float(self.nrr_tertimbang[g, j]),
                konversi=int(self.unsur_konversi_centi[g, j]) / 100,
                konversi_centi=int(self.unsur_konversi_centi[g, j]),
                mutu=grades[int(self.unsur_grade_index[g, j])].mutu,
                kinerja=grades[int(self.unsur_grade_index[g, j])].kinerja,
            )
            for j in range(self.sums.shape[1])
        )
        grade = grades[int(self.grade_index[g])]
        return IkmResult(
            respondents=None if self.respondents is None else int(self.respondents[g]),
            unsur=unsur,
            ikm=float(self.ikm[g]),
            konversi_exact=float(self.konversi_exact[g]),
            konversi=int(self.konversi_centi[g]) / 100,
            konversi_centi=int(self.konversi_centi[g]),
            mutu=grade.mutu,
            kinerja=grade.kinerja,
        )


def score_matrix(
    answers: npt.ArrayLike | Sequence[Any],
    scale: GradeScale,
    *,
    allow_blank: bool = True,
) -> IkmResult:
    """IKM from the answers of individual respondents.

    .. math:: S_j = \\sum_r x_{rj} [x_{rj} \\text{ answered}], \\quad
              C_j = \\sum_r [x_{rj} \\text{ answered}]

    then :func:`score_aggregates`. Blank answers leave the denominator of their
    unsur only (Permenpan RB 14/2017: NRR is the mean of the answers filled in).

    Parameters
    ----------
    answers : array_like, shape (n, U)
        One row per respondent, one column per unsur, values 1 to 4. Blank is
        ``None`` in nested lists, NaN in a float array, or 0 (in any numeric
        input, because spreadsheet and database exports write an unanswered
        item as 0; 0 is never a valid answer).
    scale : GradeScale
        Category table, e.g. Permenpan RB 14/2017.
    allow_blank : bool, default True
        If False, any blank answer raises ValueError.

    Returns
    -------
    IkmResult
        With ``respondents = n`` (every row, even one left entirely blank).

    Raises
    ------
    ValueError
        Empty or non-2-D matrix, ragged rows, a value that is not an integer
        1–4 (the message names the row and the unsur, both 1-based), a blank
        when ``allow_blank`` is False, or an unsur nobody answered.

    Notes
    -----
    With answers ``[[4, 3], [3, None]]`` the second unsur has NRR 3 / 1 = 3,
    not (3 + 0) / 2: the blank respondent is simply not counted there.
    """
    values, answered = parse_answers(answers, allow_blank=allow_blank)
    return score_aggregates(
        values.sum(axis=0),
        answered.sum(axis=0, dtype=np.int64),
        scale,
        respondents=values.shape[0],
    )


def score_aggregates(
    sums: npt.ArrayLike,
    counts: npt.ArrayLike,
    scale: GradeScale,
    *,
    respondents: int | None = None,
) -> IkmResult:
    """IKM from the sum and the number of answers of each unsur.

    .. math:: \\mathrm{NRR}_j = \\frac{S_j}{C_j}, \\quad
              \\mathrm{IKM} = \\frac1U \\sum_{j=1}^{U} \\mathrm{NRR}_j, \\quad
              \\text{konversi} = \\operatorname{round}_{\\text{half-up},\\,0{,}01}
              (25 \\times \\mathrm{IKM})

    (Permenpan RB 14/2017, Lampiran.) The rounding is exact (see
    :func:`scoring.rounding.konversi_centi`); mutu and kinerja are read from
    the rounded konversi with ``>=`` on each lower bound.

    Parameters
    ----------
    sums, counts : array_like of int, shape (U,)
        :math:`S_j` and :math:`C_j` per unsur, U >= 1, in reporting order.
    scale : GradeScale
        Category table.
    respondents : int, optional
        Number of respondents, carried into the result; must be at least
        every :math:`C_j`.

    Returns
    -------
    IkmResult

    Raises
    ------
    ValueError
        Lengths differ, a value is negative or not an integer, an unsur has
        no answer ("Unsur ke-3 belum memiliki jawaban; ..."), or an NRR
        outside 1–4 (:math:`S_j < C_j` or :math:`S_j > 4 C_j`, impossible for
        answers 1–4).
    """
    s = as_aggregate_array(sums, "Jumlah nilai", ndim=1)
    c = as_aggregate_array(counts, "Jumlah jawaban", ndim=1)
    if s.shape != c.shape:
        raise ValueError(
            f"Jumlah nilai ({s.shape[0]} unsur) dan jumlah jawaban ({c.shape[0]} unsur) "
            "harus sama panjang: satu nilai per unsur."
        )
    if s.shape[0] == 0:
        raise ValueError("Tidak ada unsur: minimal satu unsur diperlukan.")
    _check_consistency(s[np.newaxis], c[np.newaxis], grouped=False)
    unanswered = np.flatnonzero(c == 0)
    if unanswered.size:
        raise ValueError(
            f"Unsur ke-{int(unanswered[0]) + 1} belum memiliki jawaban; NRR tidak dapat dihitung."
        )
    respondents_array = None
    if respondents is not None:
        count = as_int(respondents, "Jumlah responden", minimum=0)
        respondents_array = _check_respondents(
            np.asarray([count], dtype=np.int64), c[np.newaxis], grouped=False
        )
    return _score(s[np.newaxis], c[np.newaxis], scale, respondents_array).group(0)


def score_groups(
    sums: npt.ArrayLike,
    counts: npt.ArrayLike,
    scale: GradeScale,
    *,
    respondents: npt.ArrayLike | None = None,
) -> GroupedIkm:
    """IKM of many groups at once, vectorised.

    For each group :math:`g` exactly what :func:`score_aggregates` gives:

    .. math:: \\mathrm{IKM}_g = \\frac1U \\sum_{j=1}^{U} \\frac{S_{gj}}{C_{gj}},
              \\quad \\text{centi}_g = \\left\\lfloor \\frac{2500}{U}
              \\sum_j \\frac{S_{gj}}{C_{gj}} + \\frac12 \\right\\rfloor

    but a group with an unanswered unsur (:math:`C_{gj} = 0`, common for a
    small layanan) is marked not scorable instead of raising, so the other
    groups can still be shown.

    Parameters
    ----------
    sums, counts : array_like of int, shape (G, U)
        Per group and unsur. G may be 0; U must be at least 1.
    scale : GradeScale
        Category table.
    respondents : array_like of int, shape (G,), optional
        Respondents per group; each at least the group's largest count.

    Returns
    -------
    GroupedIkm

    Raises
    ------
    ValueError
        Shapes differ or are not 2-D, a negative or non-integer value, a
        positive sum with a zero count, or an NRR outside 1–4 (such data is
        impossible, so it is an error even in a dashboard).
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
    _check_consistency(s, c, grouped=True)
    respondents_array = None
    if respondents is not None:
        respondents_array = _check_respondents(
            as_aggregate_array(respondents, "Jumlah responden", ndim=1), c, grouped=True
        )
    return _score(s, c, scale, respondents_array)


def _where(g: int, j: int, *, grouped: bool) -> str:
    return f"Kelompok ke-{g + 1}, unsur ke-{j + 1}" if grouped else f"Unsur ke-{j + 1}"


def _check_consistency(
    s: npt.NDArray[np.int64], c: npt.NDArray[np.int64], *, grouped: bool
) -> None:
    """Reject sums that answers 1–4 cannot produce: C <= S <= 4C (or S = 0 if C = 0)."""
    orphan = (c == 0) & (s != 0)
    if orphan.any():
        g, j = (int(i) for i in np.argwhere(orphan)[0])
        raise ValueError(
            f"{_where(g, j, grouped=grouped)}: jumlah nilai {int(s[g, j])} padahal "
            "jumlah jawaban 0. Periksa data agregat."
        )
    outside = (c > 0) & ((s < c) | (s > 4 * c))
    if outside.any():
        g, j = (int(i) for i in np.argwhere(outside)[0])
        total, count = int(s[g, j]), int(c[g, j])
        raise ValueError(
            f"{_where(g, j, grouped=grouped)}: NRR {format_number(total / count, 2)} "
            f"di luar 1–4 (jumlah nilai {total} dari {count} jawaban). Dengan jawaban "
            f"1 sampai 4 jumlah nilai harus antara {count} dan {4 * count}; "
            "periksa data agregat."
        )


def _check_respondents(
    respondents: npt.NDArray[np.int64],
    c: npt.NDArray[np.int64],
    *,
    grouped: bool,
) -> npt.NDArray[np.int64]:
    if respondents.shape != (c.shape[0],):
        raise ValueError(
            f"Jumlah responden harus satu nilai per kelompok ({c.shape[0]}); "
            f"diterima bentuk {respondents.shape}."
        )
    if respondents.size and int(respondents.min()) < 0:
        raise ValueError("Jumlah responden tidak boleh negatif.")
    largest = c.max(axis=1) if c.size else np.zeros(c.shape[0], dtype=np.int64)
    short = respondents < largest
    if short.any():
        g = int(np.argmax(short))
        j = int(np.argmax(c[g]))
        where = f"kelompok ke-{g + 1}, unsur ke-{j + 1}" if grouped else f"unsur ke-{j + 1}"
        raise ValueError(
            f"Jumlah responden ({int(respondents[g])}) lebih kecil dari jumlah jawaban "
            f"{where} ({int(c[g, j])}); satu responden hanya menjawab sekali per unsur."
        )
    return respondents.astype(np.int64, copy=True)


def _score(
    s: npt.NDArray[np.int64],
    c: npt.NDArray[np.int64],
    scale: GradeScale,
    respondents: npt.NDArray[np.int64] | None,
) -> GroupedIkm:
    """Score checked (G, U) aggregates; the one implementation behind all entry points."""
    unsur_count = s.shape[1]
    answered = c > 0
    scorable: npt.NDArray[np.bool_] = np.asarray(answered.all(axis=1), dtype=np.bool_)
    safe_counts = np.where(answered, c, 1)
    nrr = s / safe_counts
    nrr[~answered] = np.nan
    nrr_tertimbang = nrr / unsur_count
    # Summed column by column in a fixed order so that a group scored alone
    # (score_aggregates) and the same group among thousands (score_groups)
    # give bit-identical floats, whatever reduction order numpy would pick.
    total = nrr[:, 0].copy()
    for j in range(1, unsur_count):
        total += nrr[:, j]
    ikm = total / unsur_count
    konversi_exact = 25.0 * ikm

    if scorable.all():
        centi = rounded_konversi_centi(s, c)
    else:
        centi = np.full(s.shape[0], -1, dtype=np.int64)
        centi[scorable] = rounded_konversi_centi(s[scorable], c[scorable])
    grade_index = np.where(scorable, scale.grade_indices(centi), -1).astype(np.intp)
    konversi = np.where(scorable, centi / 100, np.nan)

    # round_half_up(2500 S / C) = floor((5000 S + C) / (2 C)), exact in int64
    # because S <= 4 C <= 4 * 10**12.
    unsur_centi = np.where(
        answered,
        (2 * CENTI_PER_POINT * s + safe_counts) // (2 * safe_counts),
        -1,
    ).astype(np.int64)
    unsur_grade_index = np.where(answered, scale.grade_indices(unsur_centi), -1).astype(np.intp)

    return GroupedIkm(
        sums=s,
        counts=c,
        nrr=nrr,
        nrr_tertimbang=nrr_tertimbang,
        ikm=ikm,
        konversi_exact=konversi_exact,
        konversi_centi=centi,
        konversi=konversi,
        grade_index=grade_index,
        unsur_konversi_centi=unsur_centi,
        unsur_grade_index=unsur_grade_index,
        scorable=scorable,
        respondents=respondents,
        scale=scale,
    )
