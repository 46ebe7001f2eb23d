"""Reference arithmetic for the scoring tests, written from the method alone.

Everything here follows ``shared/reference/skm-method.md`` with
:class:`fractions.Fraction` and :func:`math.floor`, and shares no code with
``scoring``: NRR = S/C, konversi = 25 x mean NRR, rounded half-up to two
decimals.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Iterable, Sequence
from fractions import Fraction

HALF = Fraction(1, 2)


def exact_konversi(sums: Sequence[int], counts: Sequence[int]) -> Fraction:
    """25 x (1/U) x Σ S_j / C_j, exactly (in konversi points, 25–100)."""
    nrr = [Fraction(int(s), int(c)) for s, c in zip(sums, counts, strict=True)]
    return 25 * sum(nrr, Fraction(0)) / len(nrr)


def half_up_centi(konversi: Fraction) -> int:
    """Konversi rounded half-up to two decimals, in hundredths (88,305 -> 8831)."""
    return math.floor(konversi * 100 + HALF)


def reference_centi(sums: Sequence[int], counts: Sequence[int]) -> int:
    return half_up_centi(exact_konversi(sums, counts))


def unsur_centi(total: int, count: int) -> int:
    """One unsur: 25 x S / C rounded half-up to two decimals, in hundredths."""
    return half_up_centi(25 * Fraction(total, count))


def grade_2017(centi: int) -> str:
    """The Permenpan 14/2017 cascade written out as the method states it."""
    if centi >= 8831:
        return "A"
    if centi >= 7661:
        return "B"
    if centi >= 6500:
        return "C"
    return "D"


def spread(total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` near-equal integers (for building sums)."""
    quotient, remainder = divmod(total, parts)
    return [quotient + 1] * remainder + [quotient] * (parts - remainder)


def naive_sum(values: Iterable[float]) -> float:
    """Left to right, one rounded float addition at a time: how a spreadsheet
    column or a PHP loop adds, and so the traps the naive reports fall into.

    Not ``sum()``: from Python 3.12 on it compensates the rounding of floats
    (Neumaier), so the same test would show a different naive value on 3.11
    and on 3.12.
    """
    return functools.reduce(operator.add, values, 0.0)
