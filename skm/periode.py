"""Periods (triwulan, semester, tahun, date range) in the office's time zone.

A periode is a range of local calendar days. Responses are stored with UTC
instants, so a periode is turned into a half-open UTC range once, and the
database filters on ``start <= submitted_at < end``: a survey taken at
23:30 UTC on 31 March is 06:30 on 1 April in Jakarta and belongs to
triwulan II there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from skm.formatting import format_date

ROMAN = ("I", "II", "III", "IV")

_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[TtSs])(?P<number>\d))?$", re.ASCII)

#: Years a periode code may name: SKM began long after 2000, and a year near
#: 9999 has no following year to end on.
YEAR_RANGE = (2000, 2100)


class PeriodeError(ValueError):
    """A periode code or range that cannot be understood."""


@dataclass(frozen=True, order=True)
class Periode:
    """Local calendar days ``start`` (inclusive) to ``end`` (exclusive).

    ``kind`` is ``triwulan``, ``semester``, ``tahun`` or ``rentang`` (a date
    range chosen by staff).
    """

    start: date
    end: date
    kind: str
    year: int
    number: int = 0

    @classmethod
    def triwulan(cls, year: int, number: int) -> Periode:
        if not 1 <= number <= 4:
            raise PeriodeError(f"Triwulan harus 1 sampai 4, bukan {number}.")
        start = date(year, 3 * number - 2, 1)
        end = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
        return cls(start, end, "triwulan", year, number)

    @classmethod
    def semester(cls, year: int, number: int) -> Periode:
        if number not in (1, 2):
            raise PeriodeError(f"Semester harus 1 atau 2, bukan {number}.")
        start = date(year, 1 if number == 1 else 7, 1)
        end = date(year, 7, 1) if number == 1 else date(year + 1, 1, 1)
        return cls(start, end, "semester", year, number)

    @classmethod
    def tahun(cls, year: int) -> Periode:
        return cls(date(year, 1, 1), date(year + 1, 1, 1), "tahun", year)

    @classmethod
    def rentang(cls, first_day: date, last_day: date) -> Periode:
        """A range of days, both ends included (as staff pick them)."""
        if last_day < first_day:
            raise PeriodeError("Tanggal akhir tidak boleh sebelum tanggal awal.")
        return cls(first_day, last_day + timedelta(days=1), "rentang", first_day.year)

    @classmethod
    def parse(cls, code: str) -> Periode:
        """Parse ``2025-T1`` (triwulan), ``2025-S2`` (semester) or ``2025`` (tahun)."""
        match = _CODE.match(code.strip())
        if not match:
            raise PeriodeError(
                f"Kode periode '{code}' tidak dikenal. Gunakan 2025-T1 (triwulan), "
                "2025-S1 (semester) atau 2025 (tahun)."
            )
        year = int(match["year"])
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise PeriodeError(f"Tahun {year} di luar jangkauan ({YEAR_RANGE[0]}–{YEAR_RANGE[1]}).")
        if match["kind"] is None:
            return cls.tahun(year)
        number = int(match["number"])
        if match["kind"].upper() == "T":
            return cls.triwulan(year, number)
        return cls.semester(year, number)

    @property
    def code(self) -> str:
        if self.kind == "triwulan":
            return f"{self.year}-T{self.number}"
        if self.kind == "semester":
            return f"{self.year}-S{self.number}"
        if self.kind == "tahun":
            return str(self.year)
        return f"{self.start.isoformat()}..{self.last_day.isoformat()}"

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        """How reports name the periode: "Triwulan II 2026"."""
        if self.kind == "triwulan":
            return f"Triwulan {ROMAN[self.number - 1]} {self.year}"
        if self.kind == "semester":
            return f"Semester {ROMAN[self.number - 1]} {self.year}"
        if self.kind == "tahun":
            return f"Tahun {self.year}"
        return f"{format_date(self.start)} – {format_date(self.last_day)}"

    def utc_bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The half-open UTC range ``[start, end)`` of this periode in ``tz``."""
        start = datetime.combine(self.start, time(0), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(self.end, time(0), tzinfo=tz).astimezone(UTC)
        return start, end

    def previous(self) -> Periode:
        """The periode of the same kind just before this one."""
        if self.kind == "triwulan":
            if self.number == 1:
                return Periode.triwulan(self.year - 1, 4)
            return Periode.triwulan(self.year, self.number - 1)
        if self.kind == "semester":
            if self.number == 1:
                return Periode.semester(self.year - 1, 2)
            return Periode.semester(self.year, 1)
        if self.kind == "tahun":
            return Periode.tahun(self.year - 1)
        length = self.end - self.start
        return Periode.rentang(self.start - length, self.start - timedelta(days=1))

    def history(self, count: int) -> list[Periode]:
        """This periode and the ``count - 1`` before it, oldest first."""
        periodes = [self]
        for _ in range(count - 1):
            periodes.append(periodes[-1].previous())
        return periodes[::-1]

    def contains(self, instant: datetime, tz: ZoneInfo) -> bool:
        start, end = self.utc_bounds(tz)
        return start <= instant.astimezone(UTC) < end


def periode_of(instant: datetime, kind: str, tz: ZoneInfo) -> Periode:
    """The triwulan, semester or tahun in which ``instant`` falls in ``tz``."""
    if instant.tzinfo is None:
        raise ValueError("Waktu harus memiliki zona waktu (aware datetime).")
    local = instant.astimezone(tz).date()
    if kind == "triwulan":
        return Periode.triwulan(local.year, (local.month - 1) // 3 + 1)
    if kind == "semester":
        return Periode.semester(local.year, 1 if local.month <= 6 else 2)
    if kind == "tahun":
        return Periode.tahun(local.year)
    raise PeriodeError(f"Jenis periode '{kind}' tidak dikenal (triwulan, semester, tahun).")


# The periode a staff page shows, read from its query string:
# ``?periode=2026-T3`` (triwulan), ``2026-S1`` (semester), ``2026`` (tahun), or
# ``?periode=rentang&dari=2026-01-05&sampai=2026-02-20``. Without a choice,
# the current triwulan in the office's time zone.

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
