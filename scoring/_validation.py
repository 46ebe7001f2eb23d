"""Input checks shared by the scoring modules (private).

Every public function of :mod:`scoring` turns what it is given into plain
int64 arrays here, so the arithmetic that follows never sees floats posing
as counts, ``None`` or ``bool``. Messages are in Bahasa Indonesia because
they reach the person who typed or uploaded the data.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "MAX_AGGREGATE",
    "as_aggregate_array",
    "as_int",
    "as_positive_int",
    "format_number",
    "parse_answers",
]

#: Upper bound for a count or sum of answers. Far beyond any real survey
#: (the world has fewer than 10**10 people), yet small enough that
#: ``5000 * sum`` fits in int64 and every value is exact as a float64.
MAX_AGGREGATE = 10**12

_VALID_ANSWERS = np.array([1.0, 2.0, 3.0, 4.0])


def format_number(value: float | int, decimals: int | None = None) -> str:
    """Format a number the Indonesian way (decimal comma) for a message."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    number = float(value)
    if decimals is not None:
        text = f"{number:.{decimals}f}"
    elif math.isfinite(number) and number.is_integer():
        text = str(int(number))
    else:
        text = f"{number:g}"
    return text.replace(".", ",")


def as_int(value: object, what: str, *, minimum: int) -> int:
    """Return ``value`` as a Python int >= ``minimum``, or raise ValueError naming ``what``."""
    # bool is an int subclass, but True as a population is a bug upstream.
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{what} harus bilangan bulat, bukan {value!r}.")
    if not isinstance(value, (int, np.integer)):
        raise ValueError(f"{what} harus bilangan bulat (misalnya 250); diterima {value!r}.")
    number = int(value)
    if number < minimum:
        raise ValueError(f"{what} harus minimal {minimum}; diterima {number}.")
    return number


def as_positive_int(value: object, what: str) -> int:
    """Return ``value`` as a Python int >= 1, or raise ValueError naming ``what``."""
    return as_int(value, what, minimum=1)


def as_aggregate_array(values: npt.ArrayLike, what: str, ndim: int) -> npt.NDArray[np.int64]:
    """Return a fresh int64 copy of counts or sums, checked for shape and sign.

    Integral floats (``12.0``, as some databases return ``SUM``) are
    accepted; fractional, missing or boolean values are not. The copy
    matters: results keep these arrays read-only, and a view would let the
    caller's array change them afterwards.
    """
    try:
        array = np.asarray(values)
    except ValueError:
        raise ValueError(
            f"{what} tidak berbentuk tabel yang rata: setiap baris harus "
            "memiliki jumlah unsur yang sama."
        ) from None
    if array.ndim != ndim:
        shape = "satu baris nilai per unsur" if ndim == 1 else "tabel kelompok x unsur"
        raise ValueError(
            f"{what} harus berdimensi {ndim} ({shape}); diterima dimensi {array.ndim} "
            f"dengan bentuk {array.shape}."
        )
    kind = array.dtype.kind
    if kind == "u" and array.size and int(array.max()) > MAX_AGGREGATE:
        # Checked before the cast: a huge uint64 would wrap to a negative int64.
        raise ValueError(f"{what} terlalu besar (lebih dari {MAX_AGGREGATE}).")
    if kind == "f":
        finite = np.isfinite(array)
        integral = finite & (array == np.floor(np.where(finite, array, 0.0)))
        if not integral.all():
            position = tuple(int(i) for i in np.argwhere(~integral)[0])
            raise ValueError(
                f"{what} harus bilangan bulat; ditemukan "
                f"{format_number(float(array[position]))} pada {_describe(position)}."
            )
        if array.size and float(np.abs(array).max()) > MAX_AGGREGATE:
            raise ValueError(f"{what} terlalu besar (lebih dari {MAX_AGGREGATE}).")
    elif kind not in "iu":
        raise ValueError(
            f"{what} harus berupa bilangan bulat; diterima data bertipe {array.dtype}."
        )
    result = array.astype(np.int64, copy=True)
    negative = result < 0
    if negative.any():
        position = tuple(int(i) for i in np.argwhere(negative)[0])
        raise ValueError(
            f"{what} tidak boleh negatif; ditemukan {int(result[position])} pada "
            f"{_describe(position)}."
        )
    if result.size and int(result.max()) > MAX_AGGREGATE:
        raise ValueError(f"{what} terlalu besar (lebih dari {MAX_AGGREGATE}).")
    return result


def _describe(position: tuple[int, ...]) -> str:
    """Human position of an aggregate cell: 'unsur ke-3' or 'kelompok ke-2, unsur ke-3'."""
    if len(position) == 1:
        return f"unsur ke-{position[0] + 1}"
    if len(position) == 2:
        return f"kelompok ke-{position[0] + 1}, unsur ke-{position[1] + 1}"
    return "posisi " + ", ".join(str(i + 1) for i in position)


def _object_to_float(array: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """Nested lists with ``None`` arrive as object arrays; None becomes NaN."""
    result = np.empty(array.shape, dtype=np.float64)
    for (row, column), item in np.ndenumerate(array):
        if item is None:
            result[row, column] = np.nan
        elif isinstance(item, (bool, np.bool_)) or not isinstance(
            item, (numbers.Real, np.integer, np.floating)
        ):
            raise ValueError(
                f"Jawaban pada baris {row + 1}, unsur ke-{column + 1} bukan angka: "
                f"{item!r}. Isi dengan 1 sampai 4, atau kosongkan."
            )
        else:
            result[row, column] = float(item)
    return result


def parse_answers(
    answers: npt.ArrayLike | Sequence[Any], *, allow_blank: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Check a respondents x unsur matrix of answers.

    Blank is ``None`` (nested lists), NaN (float arrays) or 0 (any numeric
    input: spreadsheet and database exports often write an unanswered item
    as 0, and 0 is never a valid answer on the 1–4 scale).

    Returns
    -------
    values : ndarray of int64, shape (n, U)
        The answers, 0 where blank.
    answered : ndarray of bool, shape (n, U)
        True where the respondent answered that unsur.
    """
    try:
        array = np.asarray(answers)
    except ValueError:
        raise ValueError(
            "Matriks jawaban tidak rata: setiap baris (responden) harus memiliki "
            "jumlah unsur yang sama; isi jawaban yang kosong dengan None."
        ) from None
    if array.size == 0:
        raise ValueError("Matriks jawaban kosong: belum ada responden atau belum ada unsur.")
    if array.ndim != 2:
        raise ValueError(
            "Matriks jawaban harus dua dimensi (baris = responden, kolom = unsur); "
            f"diterima dimensi {array.ndim} dengan bentuk {array.shape}."
        )
    kind = array.dtype.kind
    if kind == "b":
        raise ValueError(
            "Jawaban berupa nilai benar/salah; harus angka 1 sampai 4 (kosong = None)."
        )
    if kind == "O":
        array = _object_to_float(array)
        kind = "f"
    if kind in "iu":
        integers = array.astype(np.int64)
        blank = integers == 0
        invalid = ~blank & ((integers < 1) | (integers > 4))
    elif kind == "f":
        blank = np.isnan(array) | (array == 0)
        invalid = ~blank & ~np.isin(array, _VALID_ANSWERS)
        integers = np.where(blank | invalid, 0, array).astype(np.int64)
    else:
        raise ValueError(
            f"Jawaban harus berupa angka 1 sampai 4; diterima data bertipe {array.dtype}."
        )
    if invalid.any():
        positions = np.argwhere(invalid)
        row, column = (int(i) for i in positions[0])
        value = array[row, column]
        message = (
            "Nilai jawaban harus 1 sampai 4; ditemukan "
            f"{format_number(value.item())} pada baris {row + 1}, unsur ke-{column + 1}."
        )
        if len(positions) > 1:
            message += f" Masih ada {len(positions) - 1} nilai tidak sah lainnya."
        raise ValueError(message)
    if not allow_blank and blank.any():
        row, column = (int(i) for i in np.argwhere(blank)[0])
        raise ValueError(
            f"Jawaban kosong pada baris {row + 1}, unsur ke-{column + 1}, padahal "
            "jawaban kosong tidak diizinkan (allow_blank=False)."
        )
    values = np.where(blank, 0, integers).astype(np.int64)
    return values, ~blank
