"""The one-page notice-board summary."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader

from skm.reports.data import RtlRow
from skm.reports.summary import generate_summary_pdf
from tests.reports.helpers import KONVERSI_TEXT, RTL_PROGRAM
from tests.reports.test_pdf import pages_of


def test_one_page_with_ikm_mutu_and_plans(produced):
    (page,) = pages_of(produced.summary)
    assert "KECAMATAN SUKAMAJU" in page
    assert "HASIL SURVEI KEPUASAN MASYARAKAT" in page
    assert "Triwulan II 2026 (1 April 2026 – 30 Juni 2026)" in page
    assert KONVERSI_TEXT in page and "Baik" in page and "4 responden" in page
    assert "naik 3,70 dibanding Triwulan I 2026" in page
    assert "Yang akan kami perbaiki" in page
    assert "U8 Penanganan Pengaduan, Saran dan Masukan:" in page
    assert RTL_PROGRAM in page and "(TW III)" in page
    assert "Sukamaju, 22 November 2026" in page


def test_without_rtl_the_weakest_unsur_are_named(produced):
    pdf = generate_summary_pdf(replace(produced.data, rencana=()), produced.narrative)
    (page,) = pages_of(pdf)
    assert "Unsur yang akan kami perbaiki" in page
    assert "U8 Penanganan Pengaduan, Saran dan Masukan: nilai 62,50 (mutu D)" in page
    assert "U3 Waktu Penyelesaian: nilai 75,00 (mutu C)" in page


def test_many_long_plans_still_fit_one_page(produced):
    long_program = "Menata ulang alur pelayanan dan papan informasi persyaratan " * 8
    rencana = tuple(
        RtlRow(f"U{i}", "Unsur", long_program, "TW I, TW II", "Sekretaris") for i in range(1, 8)
    )
    pdf = generate_summary_pdf(replace(produced.data, rencana=rencana), produced.narrative)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "dan 2 kegiatan lainnya" in text
    assert "…" in text  # long programs are shortened, not clipped
