"""Indonesian number and date formats: 88,31 and 22 November 2026."""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def format_number(value: float | int | Decimal | None, decimals: int = 2) -> str:
    """``88.305 -> "88,31"``, ``12345 -> "12.345"``; decimal comma, dot for thousands.

    Rounds half-up on the decimal value as printed (not banker's rounding),
    the way the regulation's tables are read.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_date(day: date) -> str:
    """Indonesian long date: ``22 November 2026``."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"
