"""The PDF report: the KemenPANRB structure, hand-computed numbers, the annex, the signature."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from skm.periode import Periode
from skm.reports.pdf import generate_pdf, periode_title
from tests.reports.helpers import (
    INJECTION,
    KONVERSI_TEXT,
    RTL_PROGRAM,
    SARAN_R1,
    SARAN_R3,
    SIGNATORY,
)


def pages_of(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed (justified lines add spaces)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module")
def pages(produced) -> list[str]:
    return pages_of(produced.pdf)


def _opening(pages: list[str], heading: str) -> int:
    """The page a chapter opens: its heading right after the running title."""
    for number, page in enumerate(pages):
        if number > 0 and heading in page[:160]:
            return number
    raise AssertionError(f"no page opens with {heading!r}")


def test_cover(pages):
    cover = pages[0]
    assert "PEMERINTAH KABUPATEN CONTOH" in cover
    assert "LAPORAN PELAKSANAAN SURVEI KEPUASAN MASYARAKAT (SKM)" in cover
    assert "KECAMATAN SUKAMAJU" in cover
    assert "TRIWULAN II TAHUN 2026" in cover


def test_chapters_in_the_template_order_each_on_a_new_page(pages):
    headings = [
        "KATA PENGANTAR",
        "DAFTAR ISI",
        "BAB I PENDAHULUAN",
        "BAB II PENGUMPULAN DATA",
        "BAB III HASIL PENGOLAHAN DATA SURVEI",
        "BAB IV ANALISIS",
        "BAB V PENUTUP",
        "LAMPIRAN Pengolahan Data SKM per Responden dan per Unsur Pelayanan",
    ]
    found = [_opening(pages, heading) for heading in headings]
    assert found == sorted(found)
    assert len(set(found)) == len(found)
    for section in (
        "1.1 Latar Belakang",
        "1.2 Dasar Pelaksanaan",
        "1.3 Maksud dan Tujuan",
        "2.1 Pelaksana",
        "2.3 Lokasi",
        "2.4 Waktu Pelaksanaan",
        "2.5 Penentuan Jumlah Responden",
        "3.1 Profil Responden",
        "4.2 Rencana Tindak Lanjut",
        "4.3 Perkembangan Nilai IKM",
        "5.1 Kesimpulan",
    ):
        assert section in " ".join(pages), section  # fmt: skip


def test_table_of_contents_gives_printed_page_numbers(pages):
    toc = pages[_opening(pages, "DAFTAR ISI")]
    number = int(re.search(r"BAB III HASIL PENGOLAHAN DATA SURVEI[ .]*(\d+)", toc).group(1))
    bab_iii = _opening(pages, "BAB III HASIL PENGOLAHAN DATA SURVEI")
    # Arabic numbering starts at BAB I; the printed number ends that page's text.
    assert pages[bab_iii].rstrip().endswith(str(number))
    assert "KATA PENGANTAR . " in toc and re.search(r"KATA PENGANTAR[ .]*i\b", toc)


def test_sample_size_section(pages):
    text = " ".join(pages)
    # Population 40 -> Krejcie & Morgan 3841·40 / (10·40 + 3831) = 36,31 -> 36.
    assert "Populasi (penerima layanan) 40 orang" in text
    assert "Sampel minimal (Krejcie dan Morgan) 36 orang" in text
    assert "Responden yang terkumpul 4 orang" in text
    assert "Kesimpulan Belum Sesuai" in text
    assert "1 isian dikecualikan" in text


def test_profile_tables_with_counts_and_percentages(pages):
    text = " ".join(pages)
    assert "1 Laki-laki 1 25,00%" in text
    assert "2 Perempuan 2 50,00%" in text
    assert "Tidak diisi 1 25,00%" in text
    assert "Rekomendasi KTP 2 50,00%" in text
    assert "Surat Keterangan Domisili 2 50,00%" in text
    # Channels: two kiosk, one web, one paper.
    assert "Tablet (kios) di ruang pelayanan 2 50,00%" in text


def test_per_unsur_table_matches_hand_computation(pages):
    text = " ".join(pages)
    assert "U1 Persyaratan 13 4 3,250 0,3611 81,25 B" in text
    assert "U8 Penanganan Pengaduan, Saran dan Masukan 10 4 2,500 0,2778 62,50 D" in text
    # U9: one blank answer leaves the denominator: 10 / 3.
    assert "U9 Sarana dan Prasarana 10 3 3,333 0,3704 83,33 B" in text
    assert f"IKM = Σ NRR tertimbang; nilai konversi = IKM × 25 3,1481 {KONVERSI_TEXT} B" in text
    assert "mutu pelayanan B dengan kinerja unit pelayanan Baik" in text


def test_analysis_rtl_and_trend(pages):
    text = " ".join(pages)
    # Weakest: U8 (62,50), then U3 and U4 tied at 75,00.
    assert re.search(r"nilai terendah adalah Penanganan Pengaduan, Saran dan Masukan \(U8", text)
    assert "Waktu Penyelesaian (U3, nilai konversi 75,00, mutu C)" in text
    assert RTL_PROGRAM in text and "TW III" in text and "Kepala Seksi Pelayanan" in text
    assert "Triwulan I 2026 1 3,0000 75,00 C Kurang Baik" in text
    assert f"Triwulan II 2026 4 3,1481 {KONVERSI_TEXT} B Baik" in text
    assert "nilai konversi IKM naik 3,70 poin" in text
    assert "Capaian Indikator Kinerja Utama" not in text  # this office has no IKU


def test_saran_printed_literally_and_grouped(pages):
    text = " ".join(pages)
    assert f"“{SARAN_R1}” (2 responden)" in text
    assert INJECTION in text
    assert SARAN_R3 in text  # markup-like text is shown as typed, not interpreted
    assert "isian otomatis" not in text  # the excluded response's saran


def test_saran_can_be_left_out(produced):
    pdf = generate_pdf(produced.data, replace(produced.narrative, include_saran=False))
    text = " ".join(pages_of(pdf))
    assert "Saran dan Masukan Masyarakat" not in text
    assert INJECTION not in text
    assert "5.2 Penutup" in text


def test_closing_page_signature(pages):
    bab_v = _opening(pages, "BAB V PENUTUP")
    closing = " ".join(pages[bab_v : _opening(pages, "LAMPIRAN Pengolahan")])
    assert "Sukamaju, 22 November 2026" in closing
    assert "CAMAT SUKAMAJU," in closing
    assert SIGNATORY.nama in closing
    assert SIGNATORY.pangkat in closing
    assert "NIP. 19700101 199003 1 001" in closing


def test_annex_rows_and_closing_rows(pages):
    annex = " ".join(pages[_opening(pages, "LAMPIRAN Pengolahan") :])
    assert "No. responden U1 U2 U3 U4 U5 U6 U7 U8 U9" in annex
    assert "Σ nilai per unsur 13 13 12 12 14 13 13 10 10" in annex
    assert "Jumlah jawaban 4 4 4 4 4 4 4 4 3" in annex
    assert "NRR per unsur 3,250 3,250 3,000 3,000 3,500 3,250 3,250 2,500 3,333" in annex
    assert "IKM Σ NRR tertimbang = 3,1481" in annex
    assert f"Nilai konversi IKM × 25 = {KONVERSI_TEXT}" in annex
    assert "Mutu pelayanan B (Baik)" in annex


@pytest.mark.parametrize(
    ("periode", "title"),
    [
        (Periode.triwulan(2026, 3), "TRIWULAN III TAHUN 2026"),
        (Periode.semester(2025, 1), "SEMESTER I TAHUN 2025"),
        (Periode.tahun(2026), "TAHUN 2026"),
        (Periode.rentang(date(2026, 1, 5), date(2026, 2, 20)),
         "PERIODE 5 JANUARI 2026 – 20 FEBRUARI 2026"),
    ],
)  # fmt: skip
def test_cover_names_every_kind_of_periode(periode, title):
    assert periode_title(periode) == title
