"""Reading numbers as Indonesian offices write them: 83,5 and 1.250,75."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from skm.formatting import format_number

_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_decimal(text: str | int | float | Decimal) -> Decimal:
    """``"83,5"`` -> 83.5, ``"1.250,75"`` -> 1250.75, ``"1.500"`` -> 1500, ``"74.15"`` -> 74.15.

    The comma is the decimal mark. Dots are thousands separators when they
    group digits in threes (``1.500``, ``12.345.678``) or when a comma
    follows; a single dot otherwise is read as a decimal point, because
    spreadsheets and data files often write 74.15. A float is taken as its
    shortest representation (83.5, not 83.4999…). Raises ValueError.
    """
    if isinstance(text, bool):
        raise ValueError("bukan angka")
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    raw = text.strip().replace(" ", "").replace("\u2212", "-").removesuffix("%")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif _GROUPED.match(raw):
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation as error:
        raise ValueError(f"'{text}' bukan angka") from error
    if not value.is_finite():
        raise ValueError(f"'{text}' bukan angka")
    return value


def format_amount(value: Decimal | str | None) -> str:
    """A target or realisation as the IKU document writes it: ``83,5``, ``74,15``, ``84``,
    and a computed value with its two decimals: ``87,04``, ``100,00``; a predikat
    (``BB``) as it is.

    As many decimals as the Decimal carries (at most four), decimal comma;
    callers pass typed-in values normalised (83.5, not 83.5000).
    """
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return format_number(value, decimals_of(value))


def decimals_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return min(4, max(0, -exponent)) if isinstance(exponent, int) else 2


def plain(value: Decimal | None) -> Decimal | None:
    """A stored amount without the trailing zeros of its column (83.5000 -> 83.5)."""
    if value is None:
        return None
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    # normalize() writes 1500 as 1.5E+3; quantize back to a whole number.
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal
