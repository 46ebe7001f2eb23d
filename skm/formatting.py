"""Indonesian number and date formats: 88,31 and 22 November 2026."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

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


# How staff pages write instants: "5 menit lalu", "22 November 2026, 14.05".


def local_time(instant: datetime | None, tz: ZoneInfo) -> str:
    """Date and clock time in the office's zone, the Indonesian way (14.05)."""
    if instant is None:
        return "–"
    local = instant.astimezone(tz)
    return f"{format_date(local.date())}, {local:%H.%M}"


def time_ago(instant: datetime | None, now: datetime, tz: ZoneInfo) -> str:
    """ "baru saja", "12 menit lalu", "3 jam lalu"; older than a day: the date and time."""
    if instant is None:
        return "belum pernah"
    seconds = (now - instant).total_seconds()
    if seconds < 60:
        return "baru saja"
    if seconds < 3600:
        return f"{int(seconds // 60)} menit lalu"
    if seconds < 86400:
        return f"{int(seconds // 3600)} jam lalu"
    return local_time(instant, tz)


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = max(0, round(seconds))
    if seconds < 120:
        return f"{seconds} detik"
    return f"{seconds // 60} menit {seconds % 60} detik"
