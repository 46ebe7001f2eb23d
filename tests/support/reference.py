"""Reference arithmetic for the storage, staff and paper tests, written from the method text
(skm-method.md) with exact fractions, independently of ``scoring``."""

from __future__ import annotations

import math
from fractions import Fraction

LOWER_BOUNDS = ((Fraction(8831, 100), "A"), (Fraction(7661, 100), "B"), (Fraction(65), "C"))


def reference_konversi(rows: list[list[int | None]]) -> tuple[Fraction, str]:
    """Rounded konversi and mutu of respondent rows (None = blank)."""
    n_unsur = len(rows[0])
    nrr = []
    for j in range(n_unsur):
        answered = [r[j] for r in rows if r[j] is not None]
        nrr.append(Fraction(sum(answered), len(answered)))
    konversi = sum(nrr) / n_unsur * 25
    rounded = Fraction(math.floor(konversi * 100 + Fraction(1, 2)), 100)
    mutu = next((m for bound, m in LOWER_BOUNDS if rounded >= bound), "D")
    return rounded, mutu
