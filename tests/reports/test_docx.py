"""The DOCX report: the PDF's structure and numbers, editable in Word (read with python-docx)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader

from tests.reports.helpers import INJECTION, KONVERSI_TEXT, RTL_PROGRAM, SARAN_R3, SIGNATORY


@pytest.fixture(scope="module")
def document(produced):
    return Document(io.BytesIO(produced.docx))


def _headings(document, style: str) -> list[str]:
    return [" ".join(p.text.split()) for p in document.paragraphs if p.style.name == style]


def _rows(table) -> list[list[str]]:
    """Cell texts of each row; a merged cell once."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1][0]:
                cells.append((cell._tc, cell.text))
        rows.append([text for _, text in cells])
    return rows


def _table_after(document, caption: str):
    """The table that follows the paragraph holding ``caption``."""
    body = document.element.body
    found = False
    for element in body.iterchildren():
        if element.tag.endswith("}p") and caption in "".join(element.itertext()):
            found = True
        elif found and element.tag.endswith("}tbl"):
            for table in document.tables:
                if table._tbl is element:
                    return table
    raise AssertionError(f"no table after {caption!r}")


def test_chapters_and_sections_are_the_pdfs(produced, document):
    chapters = _headings(document, "Heading 1")
    assert chapters == [
        "KATA PENGANTAR",
        "BAB I PENDAHULUAN",
        "BAB II PENGUMPULAN DATA",
        "BAB III HASIL PENGOLAHAN DATA SURVEI",
        "BAB IV ANALISIS",
        "BAB V PENUTUP",
        "LAMPIRAN",
    ]
    # Same sections, in the same order, as the PDF's outline (its daftar isi).
    reader = PdfReader(io.BytesIO(produced.pdf))
    outline = []
    for item in reader.outline:
        if isinstance(item, list):
            outline.extend(child.title for child in item)
    assert _headings(document, "Heading 2") == outline
    assert "3.2 Indeks Kepuasan Masyarakat per Unsur Pelayanan" in outline


def test_per_unsur_table_matches_hand_computation(document):
    rows = _rows(_table_after(document, "Nilai per unsur pelayanan dan IKM unit pelayanan"))
    assert rows[0][:3] == ["No", "Unsur pelayanan", "Σ nilai"]
    assert rows[1] == ["U1", "Persyaratan", "13", "4", "3,250", "0,3611", "81,25", "B"]
    # U9: one blank answer leaves the denominator: 10 / 3.
    assert rows[9] == ["U9", "Sarana dan Prasarana", "10", "3", "3,333", "0,3704", "83,33", "B"]
    assert rows[10][1:] == ["3,1481", KONVERSI_TEXT, "B"]


def test_sample_size_and_trend(document):
    rows = _rows(_table_after(document, "Penentuan jumlah responden"))
    # Population 40 -> Krejcie & Morgan 3841·40 / (10·40 + 3831) = 36,31 -> 36.
    assert rows[1:] == [
        ["Populasi (penerima layanan)", "40 orang"],
        ["Sampel minimal (Krejcie dan Morgan)", "36 orang"],
        ["Responden yang terkumpul", "4 orang"],
        ["Kesimpulan", "Belum Sesuai"],
    ]
    trend = _rows(_table_after(document, "Nilai IKM beberapa periode terakhir"))
    assert trend[1][:5] == ["Triwulan I 2026", "1", "3,0000", "75,00", "C"]
    assert trend[2][:5] == ["Triwulan II 2026", "4", "3,1481", KONVERSI_TEXT, "B"]


def test_text_rtl_saran_and_signature(document):
    text = "\n".join(p.text for p in document.paragraphs)
    assert "nilai konversi IKM naik 3,70 poin" in text
    assert f"“{SARAN_R3}”" in text  # literally, markup and all
    assert INJECTION in text
    rtl = _rows(_table_after(document, "Rencana tindak lanjut perbaikan pelayanan"))
    assert rtl[1][2] == RTL_PROGRAM and rtl[1][3] == "TW III"
    # Under the kata pengantar and the penutup: name, pangkat, NIP grouped.
    assert text.count(SIGNATORY.nama) == 2
    assert text.count("NIP. 19700101 199003 1 001") == 2
    assert text.count("Sukamaju, 22 November 2026") == 2


def test_charts_are_pictures(document):
    pictures = document.inline_shapes
    assert len(pictures) == 2  # per-unsur bars and the trend line
    captions = [p.text for p in document.paragraphs if p.text.startswith("Gambar ")]
    assert captions == [
        "Gambar 3.1 Nilai konversi per unsur pelayanan",
        "Gambar 4.1 Perkembangan nilai konversi IKM",
    ]


def test_annex_one_row_per_respondent_then_the_closing_rows(document):
    rows = _rows(document.tables[-1])
    assert rows[0][:2] == ["No. responden", "U1"]
    # R3 (the third to answer): U9 left blank.
    assert rows[3] == ["3", "4", "3", "2", "1", "4", "3", "2", "1", "–"]
    assert rows[5] == ["Σ nilai per unsur", "13", "13", "12", "12", "14", "13", "13", "10", "10"]
    assert rows[6][-1] == "3"  # jumlah jawaban U9
    assert rows[-3] == ["IKM", "Σ NRR tertimbang = 3,1481"]
    assert rows[-2] == ["Nilai konversi", f"IKM × 25 = {KONVERSI_TEXT}"]
    assert rows[-1] == ["Mutu pelayanan", "B (Baik)"]
    assert len(rows) == 1 + 4 + 6 + 3


def test_control_characters_of_the_public_are_dropped(produced):
    from dataclasses import replace

    from skm.reports.data import SaranGroup
    from skm.reports.word import generate_docx

    data = replace(produced.data, saran=(SaranGroup("antre\x07an\x1b panjang", 1),))
    document = Document(io.BytesIO(generate_docx(data, produced.narrative)))
    assert "“antrean panjang”" in "\n".join(p.text for p in document.paragraphs)
