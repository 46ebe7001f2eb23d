"""Realisasi, capaian and predikat of an IKU, in exact arithmetic.

Numbers come in as ``Decimal`` (as stored) and are computed as
``Fraction``; a value is rounded once, half-up, to two decimals where a
report prints it, and the next step works from the printed value — as the
IKM's konversi is graded from its rounded value — so that a table's
realisasi, capaian and predikat never disagree with each other.

Formulas (``shared/reference/skm-method.md``, "IKM in the IKU", and the
seed IKU documents):

* ratio: realisasi = numerator / denominator x 100 (%);
* year-on-year change: realisasi = (n − (n−1)) / n x 100 (%), with n the
  count of this period and n−1 that of the period before (Kecamatan
  Benjeng's "persentase penurunan pelanggaran perda"); a decrease gives a
  negative number;
* composite: the mean (or, where the document says so, the sum) of the
  component percentages (Kecamatan Bathin Solapan's "Jumlah Persentase
  Kesesuaian Persyaratan SOP / Jumlah SOP Pelayanan Publik");
* capaian, higher is better: realisasi / target x 100 %;
* capaian, lower is better: (2 − realisasi / target) x 100 % (the LAKIP
  formula "(rencana − (realisasi − rencana)) / rencana x 100 %"); with a
  target of zero (none at all, e.g. no increase), 100 % when the realisation
  is zero or below, else 0 %;
* capaian of a grade (predikat on an ordered scale such as AKIP's AA … D):
  grades are numbered by position, the lowest 1, the best the number of
  grades; capaian = position of the realised grade / position of the target
  x 100 %, and 100 % when the realised grade is the target or better.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

HUNDRED = Fraction(100)


class RealisasiError(ValueError):
    """Inputs from which no realisation can be computed (message for the user)."""


def as_fraction(value: Decimal | int | str | Fraction) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(Decimal(value))


def round_half_up(value: Fraction, decimals: int = 2) -> Decimal:
    """``value`` rounded half-up (away from zero at .5) to ``decimals`` places, exactly."""
    scale = 10**decimals
    scaled = abs(value) * scale
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    sign = -1 if value < 0 else 1
    return (Decimal(sign * whole) / Decimal(scale)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )


def ratio(numerator: Decimal, denominator: Decimal) -> Fraction:
    """numerator / denominator x 100."""
    if denominator == 0:
        raise RealisasiError("Penyebut tidak boleh nol.")
    if numerator < 0 or denominator < 0:
        raise RealisasiError("Pembilang dan penyebut tidak boleh negatif.")
    return as_fraction(numerator) / as_fraction(denominator) * HUNDRED


def change(current: Decimal, previous: Decimal) -> Fraction:
    """Year-on-year change (n − (n−1)) / n x 100, n being ``current``."""
    if current == 0:
        raise RealisasiError(
            "Jumlah periode ini (n) tidak boleh nol: rumus (n − (n−1)) / n membagi dengan n."
        )
    if current < 0 or previous < 0:
        raise RealisasiError("Jumlah tidak boleh negatif.")
    return (as_fraction(current) - as_fraction(previous)) / as_fraction(current) * HUNDRED


def composite(components: Sequence[Decimal], combination: str) -> Fraction:
    """The mean (``mean``) or the sum (``sum``) of component percentages."""
    if not components:
        raise RealisasiError("Isi paling sedikit satu nilai komponen.")
    if any(value < 0 for value in components):
        raise RealisasiError("Nilai komponen tidak boleh negatif.")
    total = sum((as_fraction(value) for value in components), Fraction(0))
    if combination == "sum":
        return total
    if combination == "mean":
        return total / len(components)
    raise ValueError(f"Cara menggabungkan komponen '{combination}' tidak dikenal (mean/sum).")


def grade_position(grade: str, scale: Sequence[str]) -> int:
    """1 for the lowest grade of ``scale`` (written best first), len(scale) for the best."""
    try:
        return len(scale) - list(scale).index(grade)
    except ValueError:
        raise RealisasiError(
            f"Predikat '{grade}' tidak ada pada skala {', '.join(scale)}."
        ) from None


def grade_capaian(realised: str, target: str, scale: Sequence[str]) -> Fraction:
    """Capaian in percent of a realised grade against a target grade.

    100 when the realised grade is the target or better; otherwise the ratio
    of their positions (AKIP, target BB = 5 of 7: B = 4 gives 80 %, D = 1 gives 20 %).
    """
    have, want = grade_position(realised, scale), grade_position(target, scale)
    if have >= want:
        return HUNDRED
    return Fraction(have, want) * HUNDRED


def capaian(realisasi: Fraction, target: Fraction, polarity: str) -> Fraction | None:
    """Capaian in percent; None when a higher-is-better target is zero (nothing to compare
    with). A lower-is-better target of zero is met (100) by a realisation of zero or
    below and missed (0) otherwise, as LAKIP reports "zero" targets.

    For a positive target these are exactly the two formulas of the method:
    realisasi / target x 100 (higher is better) and (2 − realisasi / target)
    x 100 (lower is better). Both are 100 % plus the deviation from the
    target in the good direction, relative to the target; that reading also
    covers a negative target, such as a planned decrease written as the
    seeds' change formula gives it (−10 %): there the two formulas swap, so
    that a larger decrease than planned still scores above 100 %.
    """
    if polarity not in ("higher", "lower"):
        raise ValueError(f"Polaritas '{polarity}' tidak dikenal (higher/lower).")
    if target == 0:
        if polarity == "higher":
            return None
        return HUNDRED if realisasi <= 0 else Fraction(0)
    share = realisasi / target
    higher_formula = target > 0
    if (polarity == "higher") == higher_formula:
        return share * HUNDRED
    return (2 - share) * HUNDRED


@dataclass(frozen=True)
class PredikatStep:
    """Capaian of ``minimum`` percent or more earns ``label``; None is the floor."""

    minimum: Decimal | None
    label: str


#: Kriteria tingkat capaian kinerja of Permendagri 86/2017 (evaluasi RKPD),
#: the scale most daerah use in their LKjIP, printed as 91–100 Sangat Tinggi,
#: 76–90 Tinggi, 66–75 Sedang, 51–65 Rendah, <= 50 Sangat Rendah. As with the
#: IKM grades, the printed gaps (90–91 ...) are closed by applying the lower
#: bounds to the capaian rounded to two decimals: 90,50 % is Tinggi.
DEFAULT_PREDIKAT = (
    PredikatStep(Decimal("91"), "Sangat Tinggi"),
    PredikatStep(Decimal("76"), "Tinggi"),
    PredikatStep(Decimal("66"), "Sedang"),
    PredikatStep(Decimal("51"), "Rendah"),
    PredikatStep(None, "Sangat Rendah"),
)


def validate_scale(steps: Sequence[PredikatStep]) -> list[str]:
    """Problems of a predikat scale, in Indonesian (empty when it is usable)."""
    problems = []
    if len(steps) < 2:
        problems.append("Skala predikat membutuhkan paling sedikit dua tingkat.")
    minima = [step.minimum for step in steps]
    if any(minimum is None for minimum in minima[:-1]) or (minima and minima[-1] is not None):
        problems.append("Hanya tingkat terakhir (terendah) yang tanpa batas bawah.")
    bounds = [m for m in minima if m is not None]
    if any(a <= b for a, b in pairwise(bounds)):
        problems.append("Batas bawah harus makin kecil dari atas ke bawah.")
    if any(not step.label.strip() for step in steps):
        problems.append("Setiap tingkat membutuhkan nama predikat.")
    return problems


def predikat(capaian_percent: Decimal, steps: Sequence[PredikatStep]) -> str:
    """The label of the first step whose minimum the (rounded) capaian reaches."""
    for step in steps:
        if step.minimum is None or capaian_percent >= step.minimum:
            return step.label
    return steps[-1].label
