"""How staff pages write instants: "5 menit lalu", "22 November 2026, 14.05"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from skm.formatting import format_date


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
