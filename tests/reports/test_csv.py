"""The raw responses as CSV: UTF-8 with BOM, Indonesian headers, no formula from the public."""

from __future__ import annotations

import csv
import io

import pytest

from skm.cells import FORMULA_TRIGGERS, csv_value, is_risky
from skm.reports.responses_csv import generate_csv
from tests.reports.helpers import INJECTION, R1, R3, SARAN_R1


@pytest.fixture(scope="module")
def rows(produced) -> list[dict[str, str]]:
    raw = produced.csv
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_headers_are_indonesian(produced):
    header = produced.csv.decode("utf-8-sig").split("\r\n", 1)[0].split(";")
    assert header[:7] == ["No", "ID respons", "Tanggal", "Jam", "Unit layanan",
                          "Jenis layanan", "Cara pengisian"]  # fmt: skip
    assert header[7:11] == ["Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan"]
    assert header[11:20] == [f"U{i}" for i in range(1, 10)]
    assert header[-3:] == ["Saran", "Dihitung dalam IKM", "Catatan penandaan"]


def test_one_row_per_response_excluded_ones_marked(rows):
    assert [row["No"] for row in rows] == ["1", "2", "3", "4", "5"]
    first = rows[0]
    assert first["Tanggal"] == "2026-05-12" and first["Jam"] == "10:00"  # Jakarta time
    assert first["Unit layanan"] == "Kecamatan Sukamaju"
    assert first["Jenis layanan"] == "Rekomendasi KTP"
    assert first["Cara pengisian"] == "Tablet (kios) di ruang pelayanan"
    profile = (first["Jenis Kelamin"], first["Usia"], first["Pendidikan"])
    assert profile == ("Laki-laki", "19", "SMA")
    assert [first[f"U{i}"] for i in range(1, 10)] == [str(v) for v in R1]
    assert first["Saran"] == SARAN_R1
    third = rows[2]
    assert [third[f"U{i}"] for i in range(1, 10)] == [str(v) if v else "" for v in R3]
    assert third["Jenis Kelamin"] == ""
    assert [row["Dihitung dalam IKM"] for row in rows] == ["Ya", "Ya", "Ya", "Ya", "Tidak"]
    assert rows[4]["Catatan penandaan"] == "Terlalu cepat"


def test_formula_injection_comes_out_as_text(rows):
    assert rows[1]["Saran"] == "'" + INJECTION
    assert rows[4]["Saran"] == "'=1+1 isian otomatis"


@pytest.mark.parametrize("start", FORMULA_TRIGGERS)
def test_every_trigger_is_neutralised(start):
    text = f"{start}SUM(A1:A9)"
    assert is_risky(text)
    assert csv_value(text) == "'" + text
    content = generate_csv(["Saran"], [[text]]).decode("utf-8-sig")
    (_, (cell,)) = csv.reader(io.StringIO(content, newline=""), delimiter=";")
    assert cell == "'" + text


def test_harmless_values_are_unchanged():
    assert csv_value("Pelayanan cepat - terima kasih") == "Pelayanan cepat - terima kasih"
    assert csv_value(-3) == -3  # numbers are numbers, not text
    assert csv_value("a\x00b") == "ab"  # control characters dropped
    content = generate_csv(["No", "Saran"], [[1, "baris\nkedua; dengan titik koma"], [2, None]])
    parsed = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert parsed == [["No", "Saran"], ["1", "baris\nkedua; dengan titik koma"], ["2", ""]]
