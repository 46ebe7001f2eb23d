"""The tabulation reader's optional columns: date, layanan, profile, saran."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from questionnaires import get_instrument
from skm.cli.score import score_command
from skm.tabulation import (
    TabulationError,
    parse_date_cell,
    parse_rows,
    profile_cell_value,
)

INSTRUMENT = get_instrument("permenpan-14-2017")
UNSUR = [f"U{i}" for i in range(1, 10)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("22/11/2026", date(2026, 11, 22)),
        ("2026-11-22", date(2026, 11, 22)),
        ("22-11-2026", date(2026, 11, 22)),
        ("22.11.26", date(2026, 11, 22)),
        ("3/2/2025", date(2025, 2, 3)),  # day first, as Indonesian forms are written
        ("22 November 2026", date(2026, 11, 22)),
        ("22 Nov 2026", date(2026, 11, 22)),
        ("1 Agustus 2025", date(2025, 8, 1)),
        ("2026-11-22 00:00:00", date(2026, 11, 22)),
        (datetime(2026, 11, 22), date(2026, 11, 22)),
        (datetime(2026, 11, 22, 9, 30), datetime(2026, 11, 22, 9, 30)),
        (date(2026, 11, 22), date(2026, 11, 22)),
    ],
)
def test_dates_as_offices_write_them(cell, expected) -> None:
    assert parse_date_cell(cell) == expected


@pytest.mark.parametrize(
    "cell", ["31/02/2026", "kemarin", "22 Brumaire 2026", "2026/13/01", "44971"]
)
def test_what_is_not_a_date(cell) -> None:
    with pytest.raises(ValueError, match="tidak dikenali; tulis seperti 22/11/2026"):
        parse_date_cell(cell)


@pytest.mark.parametrize(
    ("key", "cell", "expected"),
    [
        ("jenis_kelamin", "P", "P"),
        ("jenis_kelamin", "laki-laki", "L"),
        ("jenis_kelamin", "Perempuan", "P"),
        ("pendidikan", "SMA", "sma"),
        ("pendidikan", "S1", "d4_s1"),
        ("pendidikan", "D3", "d1_d3"),
        ("pendidikan", "SD ke bawah", "sd"),
        ("pekerjaan", "Mahasiswa", "pelajar_mahasiswa"),
        ("pekerjaan", "wirausaha", "wirausaha"),
        ("usia", "45", 45),
        ("usia", "45 tahun", 45),
        ("usia", 45.0, 45),
    ],
)
def test_profile_values_by_key_label_or_part_of_it(key, cell, expected) -> None:
    assert profile_cell_value(INSTRUMENT.profile_field(key), cell) == expected


def test_bad_profile_values_say_what_is_allowed() -> None:
    with pytest.raises(ValueError, match="pilihan: Laki-laki, Perempuan"):
        profile_cell_value(INSTRUMENT.profile_field("jenis_kelamin"), "X")
    with pytest.raises(ValueError, match="usia 120 di luar batas 15–100"):
        profile_cell_value(INSTRUMENT.profile_field("usia"), "120")
    with pytest.raises(ValueError, match="harus bilangan bulat"):
        profile_cell_value(INSTRUMENT.profile_field("usia"), "tiga puluh")


def test_optional_columns_are_read_by_their_usual_names() -> None:
    header = ["No", "Tanggal Survei", "Jenis Layanan", "JK", "Umur", "Saran/Masukan", *UNSUR]
    rows = [
        header,
        [1, "03/02/2025", "KTP", "P", 34, "Bagus", 4, 4, 4, 4, 4, 4, 4, 4, 4],
        [2, None, None, None, None, None, 3, 3, 3, 3, 3, 3, 3, None, 3],
    ]
    tabulation = parse_rows(rows, INSTRUMENT)
    assert tabulation.details == (
        {
            "tanggal": "03/02/2025",
            "layanan": "KTP",
            "jenis_kelamin": "P",
            "usia": 34,
            "saran": "Bagus",
        },
        {},
    )
    assert tabulation.detail_columns["usia"] == "Umur"
    assert math.isnan(tabulation.answers[1, 7])  # U8 blank in row 2


def test_lenient_reading_returns_bad_cells_instead_of_raising() -> None:
    rows = [UNSUR, [4, 5, 4, 4, 4, 4, 4, 4, 4], [3, 3, "x", 3, 3, 3, 3, 3, 3]]
    with pytest.raises(TabulationError):
        parse_rows([list(r) for r in rows], INSTRUMENT)
    tabulation = parse_rows([list(r) for r in rows], INSTRUMENT, strict=False)
    assert [(e.row, e.column) for e in tabulation.errors] == [(2, "U2"), (3, "U3")]
    assert math.isnan(tabulation.answers[0, 1]) and tabulation.answers[0, 0] == 4


def test_a_column_given_twice_is_refused() -> None:
    with pytest.raises(TabulationError, match="sama dengan kolom tanggal"):
        parse_rows([["tanggal", "tgl", *UNSUR], ["1/1/2025", "1/1/2025", *[4] * 9]], INSTRUMENT)


def test_skm_score_ignores_the_optional_columns(tmp_path: Path) -> None:
    path = tmp_path / "tabulasi.csv"
    path.write_text(
        "tanggal;layanan;jenis_kelamin;" + ";".join(UNSUR) + "\n"
        "03/02/2025;KTP;P;4;4;4;4;4;4;4;4;4\n"
        "04/02/2025;KK;L;2;2;2;2;2;2;2;2;2\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(score_command, [str(path), "--json"])
    assert result.exit_code == 0, result.output
    # Every NRR is (4 + 2) / 2 = 3: konversi 75,00, C under Permenpan 14/2017.
    data = json.loads(result.output)
    assert (data["respondents"], data["konversi"], data["mutu"]) == (2, 75.0, "C")
