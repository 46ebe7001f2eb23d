"""Periodes are cut in the office's time zone, not in UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from skm.periode import Periode, PeriodeError, periode_of

JAKARTA = ZoneInfo("Asia/Jakarta")  # WIB, UTC+7
MAKASSAR = ZoneInfo("Asia/Makassar")  # WITA, UTC+8
JAYAPURA = ZoneInfo("Asia/Jayapura")  # WIT, UTC+9

LATE_MARCH_31_UTC = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize("tz", [JAKARTA, MAKASSAR, JAYAPURA])
def test_late_evening_utc_on_31_march_is_triwulan_ii_in_indonesia(tz: ZoneInfo) -> None:
    # 23:30 UTC is 06:30 (WIB), 07:30 (WITA) or 08:30 (WIT) on 1 April.
    assert periode_of(LATE_MARCH_31_UTC, "triwulan", tz) == Periode.triwulan(2026, 2)
    assert periode_of(LATE_MARCH_31_UTC, "semester", tz) == Periode.semester(2026, 1)


def test_same_instant_is_triwulan_i_in_utc() -> None:
    assert periode_of(LATE_MARCH_31_UTC, "triwulan", ZoneInfo("UTC")) == Periode.triwulan(2026, 1)


def test_new_year_in_jakarta_starts_at_17_utc_on_31_december() -> None:
    assert periode_of(datetime(2025, 12, 31, 17, 0, tzinfo=UTC), "tahun", JAKARTA).year == 2026
    assert periode_of(datetime(2025, 12, 31, 16, 59, tzinfo=UTC), "tahun", JAKARTA).year == 2025


def test_utc_bounds_of_triwulan_ii_in_jakarta() -> None:
    start, end = Periode.triwulan(2026, 2).utc_bounds(JAKARTA)
    assert start == datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 6, 30, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2025-T1", date(2025, 1, 1), date(2025, 4, 1), "Triwulan I 2025"),
        ("2025-t4", date(2025, 10, 1), date(2026, 1, 1), "Triwulan IV 2025"),
        ("2025-S1", date(2025, 1, 1), date(2025, 7, 1), "Semester I 2025"),
        ("2025-S2", date(2025, 7, 1), date(2026, 1, 1), "Semester II 2025"),
        ("2025", date(2025, 1, 1), date(2026, 1, 1), "Tahun 2025"),
    ],
)
def test_parse_codes(code: str, start: date, end: date, label: str) -> None:
    periode = Periode.parse(code)
    assert (periode.start, periode.end, periode.label) == (start, end, label)
    assert Periode.parse(periode.code) == periode


@pytest.mark.parametrize("code", ["2025-T5", "2025-S3", "25-T1", "2025-Q1", "", "T1-2025"])
def test_bad_codes_are_refused_in_indonesian(code: str) -> None:
    with pytest.raises(PeriodeError, match=r"(Kode periode|Triwulan|Semester)"):
        Periode.parse(code)


def test_previous_crosses_the_year() -> None:
    assert Periode.triwulan(2026, 1).previous() == Periode.triwulan(2025, 4)
    assert Periode.semester(2026, 1).previous() == Periode.semester(2025, 2)
    assert [p.code for p in Periode.triwulan(2026, 2).history(4)] == [
        "2025-T3",
        "2025-T4",
        "2026-T1",
        "2026-T2",
    ]


def test_date_range_includes_both_days() -> None:
    periode = Periode.rentang(date(2026, 11, 1), date(2026, 11, 22))
    assert periode.end == date(2026, 11, 23)
    assert periode.label == "1 November 2026 – 22 November 2026"
    with pytest.raises(PeriodeError):
        Periode.rentang(date(2026, 11, 22), date(2026, 11, 1))
