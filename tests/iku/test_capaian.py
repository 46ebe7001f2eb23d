"""Realisasi, capaian and predikat against values computed by hand with fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from skm.results.amounts import format_amount, parse_decimal, plain
from skm.results.capaian import (
    DEFAULT_PREDIKAT,
    PredikatStep,
    RealisasiError,
    capaian,
    change,
    predikat,
    ratio,
    round_half_up,
    validate_scale,
)


def D(text: str) -> Decimal:
    return Decimal(text)


def test_ratio_is_numerator_over_denominator_times_100() -> None:
    # Bantargebah "wilayah tertib": 18 of 42 zones improved = 300/7 % = 42,857142...
    assert ratio(D("18"), D("42")) == Fraction(300, 7)
    assert round_half_up(ratio(D("18"), D("42"))) == D("42.86")
    assert ratio(D("24"), D("44")) == Fraction(600, 11)  # 54,5454...
    assert round_half_up(Fraction(600, 11)) == D("54.55")
    with pytest.raises(RealisasiError, match="Penyebut tidak boleh nol"):
        ratio(D("3"), D("0"))


def test_year_on_year_change_follows_the_seed_formula() -> None:
    # (n − (n−1)) / n x 100, Kecamatan Benjeng: violations 50 last year, 40 this year.
    assert change(D("40"), D("50")) == Fraction(-25)
    # 55 this year after 50: 5/55 = 1/11 -> 9,0909...
    assert change(D("55"), D("50")) == Fraction(100, 11)
    assert round_half_up(change(D("55"), D("50"))) == D("9.09")
    with pytest.raises(RealisasiError, match="tidak boleh nol"):
        change(D("0"), D("12"))


def test_capaian_when_higher_is_better() -> None:
    # realisasi / target x 100
    assert capaian(Fraction(8417, 100), Fraction(84), "higher") == Fraction(8417, 84)
    assert round_half_up(Fraction(8417, 84)) == D("100.20")  # 100,2024...
    assert capaian(Fraction(4286, 100), Fraction(40), "higher") == Fraction(4286, 40)  # 107,15
    assert capaian(Fraction(7396, 100), Fraction(7425, 100), "higher") == Fraction(739600, 7425)
    assert round_half_up(Fraction(739600, 7425)) == D("99.61")  # 99,6094...


def test_capaian_when_lower_is_better() -> None:
    # (2 − realisasi / target) x 100: 8 % complaints against a ceiling of 10 % is 120 %.
    assert capaian(Fraction(8), Fraction(10), "lower") == Fraction(120)
    assert capaian(Fraction(25, 2), Fraction(10), "lower") == Fraction(75)
    # 3 days against 4 days: (2 − 3/4) x 100 = 125; 6 days: (2 − 6/4) x 100 = 50.
    assert capaian(Fraction(3), Fraction(4), "lower") == Fraction(125)
    assert capaian(Fraction(6), Fraction(4), "lower") == Fraction(50)
    # Twice the ceiling or more: zero or below.
    assert capaian(Fraction(9), Fraction(4), "lower") == Fraction(-25)


def test_a_planned_decrease_written_as_a_negative_target() -> None:
    # The seed's change formula gives −25 % for a decrease of a quarter; planned: −10 %.
    assert capaian(Fraction(-25), Fraction(-10), "lower") == Fraction(250)
    assert capaian(Fraction(-5), Fraction(-10), "lower") == Fraction(50)
    assert capaian(Fraction(5), Fraction(-10), "lower") == Fraction(-50)  # it rose instead
    # "No more than a 10 % drop" (higher is better): a 5 % drop is better than allowed.
    assert capaian(Fraction(-5), Fraction(-10), "higher") == Fraction(150)


def test_a_zero_target_has_no_capaian() -> None:
    assert capaian(Fraction(3), Fraction(0), "higher") is None
    with pytest.raises(ValueError, match="Polaritas"):
        capaian(Fraction(3), Fraction(4), "naik")


def test_rounding_is_half_up_away_from_zero_and_exact() -> None:
    assert round_half_up(Fraction(1, 8)) == D("0.13")
    assert round_half_up(Fraction(-1, 8)) == D("-0.13")
    assert round_half_up(Fraction(100249, 1000)) == D("100.25")
    assert round_half_up(Fraction(100244999, 1000000)) == D("100.24")


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("250", "Sangat Tinggi"), ("91.00", "Sangat Tinggi"), ("90.99", "Tinggi"),
        ("90.50", "Tinggi"), ("76.00", "Tinggi"), ("75.99", "Sedang"), ("66.00", "Sedang"),
        ("65.99", "Rendah"), ("51.00", "Rendah"), ("50.99", "Sangat Rendah"),
        ("-50", "Sangat Rendah"),
    ],
)  # fmt: skip
def test_default_predikat_uses_lower_bounds_of_permendagri_86_2017(value, label) -> None:
    assert predikat(D(value), DEFAULT_PREDIKAT) == label


def test_a_predikat_scale_must_be_usable() -> None:
    good = [PredikatStep(D("100"), "Tercapai"), PredikatStep(None, "Tidak tercapai")]
    assert validate_scale(good) == []
    assert predikat(D("99.99"), good) == "Tidak tercapai"
    assert "dua tingkat" in validate_scale(good[:1])[0]
    rising = [PredikatStep(D("50"), "A"), PredikatStep(D("80"), "B"), PredikatStep(None, "C")]
    assert validate_scale(rising) == ["Batas bawah harus makin kecil dari atas ke bawah."]
    no_floor = [PredikatStep(D("80"), "A"), PredikatStep(D("50"), "B")]
    assert validate_scale(no_floor) == ["Hanya tingkat terakhir (terendah) yang tanpa batas bawah."]
    unnamed = [PredikatStep(D("80"), " "), PredikatStep(None, "B")]
    assert validate_scale(unnamed) == ["Setiap tingkat membutuhkan nama predikat."]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("83,5", "83.5"), ("74,15", "74.15"), ("74.15", "74.15"), ("1.250,75", "1250.75"),
        ("1.500", "1500"), ("12.345.678", "12345678"), (" 40 %", "40"), ("−10", "-10"),
        (83.5, "83.5"), (74.15, "74.15"), (84, "84"),
    ],
)  # fmt: skip
def test_numbers_are_read_as_indonesian_offices_write_them(text, value) -> None:
    assert parse_decimal(text) == D(value)


@pytest.mark.parametrize("text", ["", "delapan", "1,2,3", "nan", "inf"])
def test_what_is_not_a_number(text) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_amounts_are_printed_as_the_document_writes_them() -> None:
    stored = ("83.5000", "74.1500", "84.0000", "1500.0000")  # Numeric(18, 4) as read back
    assert [format_amount(plain(D(v))) for v in stored] == ["83,5", "74,15", "84", "1.500"]
    # Computed values keep their two decimals: 87,04 and 100,00.
    assert [format_amount(D(v)) for v in ("87.04", "100.00", "-25.00")] == [
        "87,04", "100,00", "-25,00"]  # fmt: skip
    assert format_amount(None) == "–"
