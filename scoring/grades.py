"""Grade tables: from a rounded nilai konversi to mutu and kinerja.

The tables themselves are data (see ``questionnaires/``); this module only
knows how to apply one. Bounds are kept in hundredths of a konversi point
(8831 for 88,31) so that every comparison is an exact integer comparison:
a konversi printed as 88,31 can never be graded B because a float came out
as 88.30999.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Grade", "GradeScale"]


@dataclass(frozen=True)
class Grade:
    """One row of a category table.

    Attributes
    ----------
    mutu : str
        Mutu pelayanan, e.g. ``"A"``.
    kinerja : str
        Kinerja unit pelayanan, e.g. ``"Sangat Baik"``.
    lower_centi : int
        Lowest rounded konversi (in hundredths) that earns this grade,
        e.g. 8831 for 88,31.
    """

    mutu: str
    kinerja: str
    lower_centi: int


@dataclass(frozen=True)
class GradeScale:
    """A category table applied as a lower-bound cascade on the rounded konversi.

    Permenpan RB 14/2017 prints ranges with gaps (64,99 then 65,00); the rule
    this project follows is: take the konversi rounded half-up to two
    decimals and give it the best grade whose lower bound it reaches
    (``>=``, never ``>``).

    Parameters
    ----------
    grades : tuple of Grade
        Best grade first; lower bounds strictly decreasing; the last grade's
        lower bound is ``minimum_centi``.
    minimum_centi, maximum_centi : int
        The konversi scale, 2500 to 10000 for answers 1 to 4.
    """

    grades: tuple[Grade, ...]
    minimum_centi: int = 2500
    maximum_centi: int = 10000

    def __post_init__(self) -> None:
        if not self.grades:
            raise ValueError("Tabel mutu kosong: minimal satu mutu diperlukan.")
        lowers = [g.lower_centi for g in self.grades]
        if any(a <= b for a, b in itertools.pairwise(lowers)):
            raise ValueError(
                f"Batas bawah mutu harus menurun tegas dari mutu terbaik ke terendah: {lowers}"
            )
        if lowers[-1] != self.minimum_centi:
            raise ValueError(
                f"Mutu terendah harus mulai dari {self.minimum_centi / 100:.2f} "
                f"(batas bawah skala), bukan {lowers[-1] / 100:.2f}."
            )
        if lowers[0] > self.maximum_centi:
            raise ValueError("Batas bawah mutu terbaik melebihi batas atas skala.")
        mutus = [g.mutu for g in self.grades]
        if len(set(mutus)) != len(mutus):
            raise ValueError(f"Nama mutu ganda dalam tabel: {mutus}")

    def grade_for_centi(self, konversi_centi: int) -> Grade:
        """Grade of one rounded konversi given in hundredths (8831 -> A)."""
        if not self.minimum_centi <= konversi_centi <= self.maximum_centi:
            raise ValueError(
                f"Nilai konversi {konversi_centi / 100:.2f} di luar skala "
                f"{self.minimum_centi / 100:.2f}–{self.maximum_centi / 100:.2f}."
            )
        for grade in self.grades:
            if konversi_centi >= grade.lower_centi:
                return grade
        raise AssertionError("unreachable: the last lower bound is the scale minimum")

    def grade_indices(self, konversi_centi: npt.ArrayLike) -> npt.NDArray[np.intp]:
        """Vectorised :meth:`grade_for_centi`: index into ``grades`` per value.

        Values below the scale minimum (never produced by valid answers) get
        the lowest grade; callers mask groups without data themselves.
        """
        centi = np.asarray(konversi_centi, dtype=np.int64)
        # lowers ascending for searchsorted; a value equal to a bound belongs
        # to that bound's grade (side="right" counts bounds <= value).
        lowers_ascending = np.array([g.lower_centi for g in reversed(self.grades)])
        position = np.searchsorted(lowers_ascending, centi, side="right") - 1
        position = np.clip(position, 0, len(self.grades) - 1)
        return (len(self.grades) - 1 - position).astype(np.intp)
