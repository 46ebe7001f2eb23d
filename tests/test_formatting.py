"""Numbers and dates as Indonesian documents print them."""

from datetime import date

import pytest

from skm.formatting import format_date, format_number


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (88.31, 2, "88,31"),
        (88.305, 2, "88,31"),  # half-up on the printed decimal, not banker's rounding
        (100, 2, "100,00"),
        (12345, 0, "12.345"),
        (1234567.891, 2, "1.234.567,89"),
        (3.5324, 4, "3,5324"),
        (float("nan"), 2, "–"),
        (None, 2, "–"),
    ],
)
def test_format_number(value: float | None, decimals: int, text: str) -> None:
    assert format_number(value, decimals) == text


def test_format_date() -> None:
    assert format_date(date(2026, 11, 22)) == "22 November 2026"
    assert format_date(date(2026, 1, 1)) == "1 Januari 2026"
