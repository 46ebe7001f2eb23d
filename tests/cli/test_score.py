"""``skm score``: offline tabulations in, the annex table (or JSON) out."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from skm.cli.score import score_command

HEADER = ["No"] + [f"U{i}" for i in range(1, 10)]
# Respondent 2 gave U1 a 3 and left U9 blank; everything else is 4.
ROWS = [
    [1, 4, 4, 4, 4, 4, 4, 4, 4, 4],
    [2, 3, 4, 4, 4, 4, 4, 4, 4, None],
    [3, 4, 4, 4, 4, 4, 4, 4, 4, 4],
]


def write_csv(path: Path, header: list, rows: list[list], delimiter: str = ";") -> Path:
    lines = [delimiter.join("" if v is None else str(v) for v in row) for row in [header, *rows]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(score_command, list(args))


def test_json_matches_hand_computation(tmp_path: Path) -> None:
    result = invoke(str(write_csv(tmp_path / "tabulasi.csv", HEADER, ROWS)), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # By hand: NRR U1 = 11/3, U2..U8 = 4, U9 = 8/2 = 4 (the blank leaves the denominator).
    # IKM = (11/3 + 32) / 9 = 107/27; konversi = 2675/27 = 99,074... -> 99,07 A.
    assert data["instrument"] == "permenpan-14-2017"
    assert data["respondents"] == 3
    u1, u9 = data["unsur"][0], data["unsur"][8]
    assert (u1["code"], u1["key"], u1["name"]) == ("U1", "persyaratan", "Persyaratan")
    assert (u1["sum"], u1["count"]) == (11, 3)
    assert u1["nrr"] == pytest.approx(11 / 3, abs=1e-12)
    assert u1["nrr_tertimbang"] == pytest.approx(11 / 27, abs=1e-12)
    assert u1["konversi"] == 91.67 and u1["mutu"] == "A"
    assert (u9["code"], u9["key"], u9["sum"], u9["count"]) == ("U9", "sarana", 8, 2)
    assert data["ikm"] == pytest.approx(float(Fraction(107, 27)), abs=1e-12)
    assert data["konversi"] == 99.07
    assert (data["mutu"], data["kinerja"]) == ("A", "Sangat Baik")


def test_annex_table_in_indonesian_format(tmp_path: Path) -> None:
    result = invoke(str(write_csv(tmp_path / "tabulasi.csv", HEADER, ROWS)))
    assert result.exit_code == 0, result.output
    assert "99,07" in result.output
    assert "91,67" in result.output  # U1's konversi
    assert "3,667" in result.output  # U1's NRR
    assert "bobot 1/9" in result.output
    assert "Sangat Baik" in result.output
    assert "Σ nilai" in result.output


def test_all_answers_four_is_exactly_100(tmp_path: Path) -> None:
    rows = [[i, *([4] * 9)] for i in range(1, 8)]
    data = json.loads(invoke(str(write_csv(tmp_path / "a.csv", HEADER, rows)), "--json").output)
    assert (data["konversi"], data["mutu"], data["ikm"]) == (100.0, "A", 4.0)


def test_xlsx_with_unsur_keys_as_columns(tmp_path: Path) -> None:
    keys = ["persyaratan", "prosedur", "waktu", "biaya", "produk",
            "kompetensi", "perilaku", "pengaduan", "sarana"]  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(keys)
    sheet.append([2, 2, 2, 2, 2, 2, 2, 3, 3])
    sheet.append([2, 2, 2, 2, 2, 2, 2, 3, 3])
    path = tmp_path / "tabulasi.xlsx"
    workbook.save(path)
    data = json.loads(invoke(str(path), "--json").output)
    # Σ NRR = 7*2 + 2*3 = 20; konversi = 20/9*25 = 55,555... -> 55,56 D.
    assert (data["konversi"], data["mutu"], data["kinerja"]) == (55.56, "D", "Tidak Baik")
    assert data["unsur"][7]["key"] == "pengaduan" and data["unsur"][7]["nrr"] == 3


def test_historical_instrument(tmp_path: Path) -> None:
    header = [f"U{i}" for i in range(1, 15)]
    path = write_csv(tmp_path / "2015.csv", header, [[3] * 14, [3] * 14], delimiter=",")
    result = invoke(str(path), "--instrument", "kepmenpan-25-2004", "--json")
    data = json.loads(result.output)
    assert len(data["unsur"]) == 14
    # All 3: konversi 75,00, which the 25/2004 bands (62,51–81,25) grade B.
    assert (data["konversi"], data["mutu"]) == (75.0, "B")


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        ([*HEADER, "U10"], ROWS, ["Baris 1, kolom U10", "kolom tidak dikenal"]),
        (HEADER, [ROWS[0], [2, 4, 4, 4, 5, 4, 4, 4, 4, 4]], ["Baris 3, kolom U4", "'5'"]),
        (HEADER, [[1, 4, 4, "baik", 4, 4, 4, 4, 4, 4]], ["Baris 2, kolom U3", "'baik'"]),
        (HEADER, [[1, 4, 4, 3.5, 4, 4, 4, 4, 4, 4]], ["Baris 2, kolom U3", "'3.5'"]),
        (HEADER[:-1], ROWS, ["kolom U9", "tidak ada"]),
        (HEADER, [], ["tidak berisi data"]),
    ],
)
def test_bad_files_name_row_and_column_and_exit_2(
    tmp_path: Path, header: list, rows: list, expected: list[str]
) -> None:
    result = invoke(str(write_csv(tmp_path / "rusak.csv", header, rows)), "--json")
    assert result.exit_code == 2
    for text in expected:
        assert text in result.output
    assert "{" not in result.output  # no partial JSON result


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kosong.csv"
    path.write_text("", encoding="utf-8")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert "kosong" in result.output


def test_unknown_instrument_and_missing_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", HEADER, ROWS)
    assert invoke(str(path), "--instrument", "permenpan-99-2030").exit_code == 2
    missing = invoke(str(tmp_path / "tidak-ada.csv"))
    assert missing.exit_code == 2 and "tidak ditemukan" in missing.output


def test_console_script_exit_status(tmp_path: Path) -> None:
    """The installed ``skm`` entry point, as an office would call it."""
    good = write_csv(tmp_path / "baik.csv", HEADER, ROWS)
    bad = write_csv(tmp_path / "rusak.csv", HEADER, [[1, 9, 4, 4, 4, 4, 4, 4, 4, 4]])
    command = [sys.executable, "-m", "skm.cli", "score"]
    env_dir = {"cwd": tmp_path}
    ok = subprocess.run([*command, str(good), "--json"], capture_output=True, text=True, **env_dir)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["konversi"] == 99.07
    failed = subprocess.run([*command, str(bad)], capture_output=True, text=True, **env_dir)
    assert failed.returncode == 2
    assert "Baris 2, kolom U1" in failed.stderr
