"""Fuzzing the tabulation import: any file is previewed or refused, never a
server error, and a preview stores nothing (confirming is a second step)."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skm.tabulation import MAX_COLUMNS, MAX_XLSX_UNPACKED_BYTES
from tests.fuzz.conftest import examples
from tests.fuzz.helpers import dump, text
from tests.paper.conftest import place  # noqa: F401 (fixture)
from tests.support.auth import login

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from xlsx_memory import claiming, honest_workbook

HEADER = "U1;U2;U3;U4;U5;U6;U7;U8;U9;saran;tanggal;layanan"


@pytest.fixture
def relaxed(app):  # unlike tests/fuzz/conftest.py's, the rate limits stay on here
    app.config.update(WTF_CSRF_ENABLED=False)
    return app


def upload(client, slug: str, content: bytes, filename: str):
    data = {
        "instrument": "permenpan-14-2017@1",
        "tahun": "2025",
        "bagian": "T1",
        "layanan": "0",
        "berkas": (io.BytesIO(content), filename),
    }
    return client.post(f"/staf/impor/{slug}", data=data, content_type="multipart/form-data")


def _previewed_or_refused(app, client, place, content: bytes, filename: str) -> str:  # noqa: F811
    login(client, place.operator_id)
    before = dump(app)
    answer = upload(client, place.slug, content, filename)
    assert answer.status_code in (200, 413, 422), answer.status_code
    assert dump(app) == before, "a preview stored something"
    return answer.get_data(as_text=True)


cells = st.one_of(
    text, st.sampled_from(["1", "2", "3", "4", "0", "5", "3,0", "=A1*2", "2025-02-30"])
)
csv_rows = st.lists(st.lists(cells, min_size=0, max_size=14), min_size=1, max_size=8)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])


@settings(max_examples=examples())
@given(rows=csv_rows, encoding=encodings, delimiter=st.sampled_from([";", ",", "\t"]))
def test_any_csv_is_previewed_or_refused(relaxed, client, place, rows, encoding, delimiter):  # noqa: F811
    lines = [HEADER.replace(";", delimiter)] + [delimiter.join(row) for row in rows]
    content = "\n".join(lines).encode(encoding, errors="replace")
    _previewed_or_refused(relaxed, client, place, content, "tabulasi.csv")


@settings(max_examples=examples(0.5))
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".xlsm", ".txt"]))
def test_any_bytes_are_previewed_or_refused(relaxed, client, place, content, suffix):  # noqa: F811
    _previewed_or_refused(relaxed, client, place, content, "berkas" + suffix)


@settings(max_examples=examples(0.25))
@given(position=st.integers(min_value=0, max_value=4000), byte=st.integers(0, 255))
def test_a_damaged_xlsx_is_previewed_or_refused(relaxed, client, place, position, byte):  # noqa: F811
    content = bytearray(honest_workbook(5))
    content[position % len(content)] = byte
    _previewed_or_refused(relaxed, client, place, bytes(content), "tabulasi.xlsx")


def test_a_sheet_claiming_a_huge_dimension_is_read_as_wide_as_its_header(relaxed, client, place):  # noqa: F811
    page = _previewed_or_refused(
        relaxed, client, place, claiming(honest_workbook(5), "A1:XFD4000"), "tabulasi.xlsx"
    )
    assert "Simpan 5 respons" in page


def test_a_compressed_xlsx_bomb_is_refused_before_it_is_unpacked(relaxed, client, place):  # noqa: F811
    buffer = io.BytesIO()
    # One workbook: two made a second apart differ in docProps/core.xml (its CRC failed).
    honest = zipfile.ZipFile(io.BytesIO(honest_workbook(2)))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in honest.infolist():
            archive.writestr(item.filename, honest.read(item))
        archive.writestr("xl/padding.bin", b"\0" * (MAX_XLSX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < 1024 * 1024  # the bomb is small
    page = _previewed_or_refused(relaxed, client, place, buffer.getvalue(), "tabulasi.xlsx")
    assert "setelah dibuka" in page


def test_thousands_of_columns_are_refused(relaxed, client, place):  # noqa: F811
    header = ";".join(f"K{n}" for n in range(5000))
    page = _previewed_or_refused(relaxed, client, place, header.encode() + b"\n1;2\n", "t.csv")
    assert f"paling banyak {MAX_COLUMNS} kolom" in page


def test_a_utf16_csv_from_excel_is_read(relaxed, client, place):  # noqa: F811
    content = (HEADER.split(";saran")[0] + "\n" + ";".join("4" * 9) + "\n").encode("utf-16")
    page = _previewed_or_refused(relaxed, client, place, content, "t.csv")
    assert "bukan CSV teks" not in page and "kolom tidak dikenal" not in page


def test_a_huge_csv_field_is_refused_not_a_server_error(relaxed, client, place):  # noqa: F811
    content = (HEADER + "\n" + "4;" * 9 + "x" * 200_000 + "\n").encode()
    page = _previewed_or_refused(relaxed, client, place, content, "t.csv")
    assert "Berkas CSV tidak dapat dibaca" in page


def test_an_upload_over_the_limit_is_refused_with_413(relaxed, client, place):  # noqa: F811
    page = _previewed_or_refused(relaxed, client, place, b"1;" * (6 * 1024 * 1024), "t.csv")
    assert "terlalu besar" in page
