"""The periode a staff page shows, read from its query string.

``?periode=2026-T3`` (triwulan), ``2026-S1`` (semester), ``2026`` (tahun),
or ``?periode=rentang&dari=2026-01-05&sampai=2026-02-20``. Without a
choice, the current triwulan in the office's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from skm.periode import Periode, PeriodeError, periode_of

RANGE = "rentang"

#: How many periodes of each kind the trend shows, the chosen one last.
TREND_LENGTH = {"triwulan": 8, "semester": 6, "tahun": 5, RANGE: 6}


@dataclass(frozen=True)
class PeriodeChoice:
    periode: Periode
    error: str | None = None

    @property
    def args(self) -> dict[str, Any]:
        """Query-string arguments that select this periode again."""
        # Any, not str: spread into url_for, whose own keywords are not all str.
        if self.periode.kind == RANGE:
            return {
                "periode": RANGE,
                "dari": self.periode.start.isoformat(),
                "sampai": self.periode.last_day.isoformat(),
            }
        return {"periode": self.periode.code}


def current_triwulan(tz: ZoneInfo) -> Periode:
    return periode_of(datetime.now(tz), "triwulan", tz)


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodeError(f"Tanggal {what} tidak dikenal; pilih tanggal dari kalender.") from None


def choose_periode(args: Mapping[str, str], tz: ZoneInfo) -> PeriodeChoice:
    """The periode named by ``args``; the current triwulan with a message when it is bad."""
    code = (args.get("periode") or "").strip()
    if not code:
        return PeriodeChoice(current_triwulan(tz))
    try:
        if code == RANGE:
            first = _date((args.get("dari") or "").strip(), "awal")
            last = _date((args.get("sampai") or "").strip(), "akhir")
            if (last - first).days > 366 * 5:
                raise PeriodeError("Rentang tanggal paling panjang lima tahun.")
            return PeriodeChoice(Periode.rentang(first, last))
        periode = Periode.parse(code)
        if not 2000 <= periode.year <= 2100:
            raise PeriodeError(f"Tahun {periode.year} di luar jangkauan (2000–2100).")
        return PeriodeChoice(periode)
    except PeriodeError as error:
        return PeriodeChoice(current_triwulan(tz), str(error))


def recent_periodes(tz: ZoneInfo) -> list[tuple[str, list[Periode]]]:
    """The options of the periode picker, grouped: recent triwulan, semester, tahun."""
    today = datetime.now(tz)
    triwulan = periode_of(today, "triwulan", tz).history(8)[::-1]
    semester = periode_of(today, "semester", tz).history(4)[::-1]
    tahun = periode_of(today, "tahun", tz).history(3)[::-1]
    return [("Triwulan", triwulan), ("Semester", semester), ("Tahun", tahun)]


def picker_context(choice: PeriodeChoice, tz: ZoneInfo, *errors: str | None) -> dict[str, Any]:
    """What a page with the periode picker gives its template: the choice, the
    picker's options, and the messages to show (the choice's own first)."""
    return {
        "choice": choice,
        "periode_groups": recent_periodes(tz),
        "errors": [error for error in (choice.error, *errors) if error],
    }


def trend_periodes(periode: Periode) -> list[Periode]:
    """The chosen periode and those before it, oldest first."""
    return periode.history(TREND_LENGTH.get(periode.kind, 6))


def short_label(periode: Periode) -> str:
    """Compact label for chart axes: "TW III 2026", "Sem I 2026", "2026"."""
    if periode.kind == "triwulan":
        return f"TW {('I', 'II', 'III', 'IV')[periode.number - 1]}\n{periode.year}"
    if periode.kind == "semester":
        return f"Sem {('I', 'II')[periode.number - 1]}\n{periode.year}"
    if periode.kind == "tahun":
        return str(periode.year)
    return f"{periode.start:%d/%m/%y}–\n{periode.last_day:%d/%m/%y}"


def periode_from_code(code: str) -> Periode | None:
    """The periode a stored code names (``2026-T3``, ``2026``, ``2026-01-05..2026-02-20``)."""
    try:
        if ".." in code:
            first, last = code.split("..", 1)
            return Periode.rentang(date.fromisoformat(first), date.fromisoformat(last))
        return Periode.parse(code)
    except (PeriodeError, ValueError):
        return None
