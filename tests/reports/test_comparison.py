"""The comparison of a unit's sub-units: numbers worked out by hand, PDF, DOCX and XLSX.

The fixed office of ``helpers``; Kecamatan Sukamaju has Kelurahan Mekarsari
under it, and answers at its own counter. Triwulan II 2026 by hand:

Kelurahan Mekarsari (R2, R3): Σ 7 6 5 4 7 6 5 4 3, n 2 2 2 2 2 2 2 2 1; NRR
3,5 3 2,5 2 3,5 3 2,5 2 3 -> Σ NRR 25, IKM 25/9, konversi 625/9 = 69,44 (C);
weakest U4 and U8 (NRR 2, a tie).
Own office (R1, R4): Σ 6 7 7 8 7 7 8 6 7, n 2 each; NRR 3 3,5 3,5 4 3,5 3,5 4 3
3,5 -> Σ NRR 31,5, IKM 3,5, konversi 87,50 (B); weakest U1 and U8 (NRR 3).
Triwulan I: one answer of 3 everywhere at the own office -> 75,00.

Pooled (R1..R4, helpers): 78,70 (B). The mean of the two units, (625/9 + 87,5) / 2
= 78,47, is *not* what the report prints.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from questionnaires import get_instrument
from skm import database
from skm.config import office_timezone
from skm.models import Unit
from skm.reports.comparison_report import comparison_content, generate_comparison_xlsx
from skm.reports.pdf import render_pdf
from skm.reports.word import render_docx
from skm.responses import ResponseInput, store_response
from skm.results.comparison import change_text, collect_comparison
from skm.results.subject import ReportError
from tests.reports.helpers import KONVERSI_TEXT, PRODUCED, REPORT_DAY, SIGNATORY, T2, build_office
from tests.support.auth import login

PERIODE = "?periode=2026-T2"


@pytest.fixture(scope="module")
def kecamatan(produced):
    """The comparison of Kecamatan Sukamaju in Triwulan II, and its PDF/DOCX/XLSX."""
    with produced.app.app_context():
        session = database.session()
        unit = session.get(Unit, produced.office.kecamatan_id)
        data = collect_comparison(session, office_timezone(), unit, T2, now=PRODUCED)
        content = comparison_content(data, SIGNATORY, REPORT_DAY)
        return data, render_pdf(content), render_docx(content), generate_comparison_xlsx(data)


def test_change_is_said_in_ikm_points():
    assert change_text(125) == "naik 1,25"
    assert change_text(-50) == "turun 0,50"
    assert change_text(0) == "tetap"
    assert change_text(None) == "–"


def test_sub_units_ranked_with_hand_computed_numbers(kecamatan):
    data, *_ = kecamatan
    (part,) = data.parts
    own, mekarsari = part.rows
    assert (own.name, own.rank, own.result.konversi_centi) == (
        "Kecamatan Sukamaju (kantor sendiri)",
        1,
        8750,
    )
    assert (mekarsari.name, mekarsari.rank, mekarsari.result.konversi_centi) == (
        "Kelurahan Mekarsari",
        2,
        6944,
    )
    assert mekarsari.result.mutu == "C" and own.result.mutu == "B"
    assert [u.code for u in mekarsari.weakest] == ["U4", "U8"]
    assert [u.code for u in own.weakest] == ["U1", "U8"]
    # 87,50 - 75,00; Mekarsari had no responses in Triwulan I.
    assert own.change_centi == 1250 and mekarsari.change_centi is None
    assert mekarsari.population is None and mekarsari.adequacy is None


def test_combined_ikm_is_pooled_not_averaged(kecamatan):
    data, *_ = kecamatan
    (part,) = data.parts
    assert part.combined.konversi_centi == 7870
    mean = (6944 + 8750) / 2
    assert part.combined.konversi_centi != round(mean)
    # Population 40 of the kecamatan -> minimum 36; 4 collected.
    assert part.adequacy.minimum == 36 and not part.adequacy.sufficient
    assert part.change_centi == 370


def test_trend_starts_with_the_first_periode_with_responses(kecamatan):
    data, *_ = kecamatan
    (part,) = data.parts
    assert [p.label for p in data.periodes] == ["Triwulan I 2026", "Triwulan II 2026"]
    own, mekarsari = part.rows
    assert [r.konversi_centi if r else None for r in own.trend] == [7500, 8750]
    assert [r.konversi_centi if r else None for r in mekarsari.trend] == [None, 6944]
    assert [r.konversi_centi for r in part.combined_trend] == [7500, 7870]


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_states_the_method_and_lists_the_ranking(kecamatan):
    _, pdf, _, _ = kecamatan
    text = _text(pdf)
    assert "LAPORAN REKAPITULASI" in text
    assert "bukan rata-rata nilai IKM unit" in text
    assert "Krejcie dan Morgan" in text
    assert "1 Kecamatan Sukamaju (kantor sendiri) 2 – – 87,50 B naik 12,50" in text
    assert "2 Kelurahan Mekarsari 2 – populasi belum dicatat 69,44 C –" in text
    assert f"Gabungan (seluruh respons) 4 36 Belum Sesuai {KONVERSI_TEXT} B naik 3,70" in text
    assert "U4 Biaya/Tarif, U8 Penanganan Pengaduan, Saran dan Masukan 50,00 (D)" in text
    assert "Kelurahan Mekarsari – 69,44 (C)" in text
    assert SIGNATORY.nama in text


def test_docx_has_the_same_tables(kecamatan):
    _, _, docx, _ = kecamatan
    document = Document(io.BytesIO(docx))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[:2] == ["2.1 Nilai IKM per Unit Layanan", "2.2 Nilai IKM Gabungan"]
    ranking = document.tables[0]
    cells = [[c.text for c in row.cells] for row in ranking.rows]
    assert cells[1] == [
        "1",
        "Kecamatan Sukamaju (kantor sendiri)",
        "2",
        "–",
        "–",
        "87,50",
        "B",
        "naik 12,50",
    ]
    assert cells[-1][2:] == ["4", "36", "Belum Sesuai", KONVERSI_TEXT, "B", "naik 3,70"]


def test_xlsx_holds_numbers(kecamatan):
    *_, xlsx = kecamatan
    workbook = load_workbook(io.BytesIO(xlsx))
    assert workbook.sheetnames == ["Peringkat", "Tren", "Metode"]
    rows = list(workbook["Peringkat"].iter_rows(min_row=4, values_only=True))
    assert rows[0][:3] == (1, "Kecamatan Sukamaju (kantor sendiri)", 2)
    assert rows[0][7] == pytest.approx(87.5, abs=1e-9)  # stored as konversi_centi / 100
    assert rows[0][11] == pytest.approx(12.5, abs=1e-9)
    assert rows[1][7] == pytest.approx(69.44, abs=1e-9)
    assert rows[2][1] == "Gabungan (seluruh respons)"
    assert rows[2][4] == 36 and rows[2][5] == "Belum Sesuai"
    trend = list(workbook["Tren"].iter_rows(values_only=True))
    assert trend[0] == ("Unit layanan", "Triwulan I 2026 konversi", "Triwulan I 2026 mutu",
                        "Triwulan II 2026 konversi", "Triwulan II 2026 mutu")  # fmt: skip
    assert trend[2][1:3] == (None, None)  # Mekarsari: no responses in Triwulan I


def test_kabupaten_marks_too_few_respondents_and_silent_units(produced):
    with produced.app.app_context():
        session = database.session()
        unit = session.get(Unit, produced.office.kabupaten_id)
        data = collect_comparison(session, office_timezone(), unit, T2, now=PRODUCED)
    (part,) = data.parts
    (sukamaju,) = part.rows
    # The kecamatan with its kelurahan: the four responses pooled.
    assert sukamaju.name == "Kecamatan Sukamaju" and sukamaju.result.konversi_centi == 7870
    assert sukamaju.adequacy.minimum == 36 and sukamaju.too_few
    assert data.silent == ("Kecamatan Lain",)


def test_instruments_are_never_combined(app):
    with app.app_context():
        session = database.session()
        office = build_office(session)
        older = get_instrument("kepmenpan-25-2004")
        other = session.get(Unit, office.kabupaten_id).children
        lain = next(u for u in other if u.slug == office.other_slug)
        store_response(
            session,
            ResponseInput(uuid.uuid4(), lain.id, None, {u.key: 4 for u in older.unsur},
                          datetime(2026, 5, 20, 3, tzinfo=UTC), "paper"),
            older,
        )  # fmt: skip
        session.commit()
        unit = session.get(Unit, office.kabupaten_id)
        data = collect_comparison(session, office_timezone(), unit, T2, now=PRODUCED)
        by_key = {part.instrument.key: part for part in data.parts}
        assert set(by_key) == {"permenpan-14-2017", "kepmenpan-25-2004"}
        assert [r.name for r in by_key["permenpan-14-2017"].rows] == ["Kecamatan Sukamaju"]
        assert by_key["permenpan-14-2017"].combined.konversi_centi == 7870
        assert [r.name for r in by_key["kepmenpan-25-2004"].rows] == ["Kecamatan Lain"]
        assert by_key["kepmenpan-25-2004"].combined.konversi_centi == 10000
        text = _text(render_pdf(comparison_content(data, SIGNATORY, REPORT_DAY)))
        assert "tidak pernah digabung atau dirata-ratakan" in text


def test_unit_without_sub_units_has_no_comparison(produced):
    with produced.app.app_context():
        session = database.session()
        unit = session.get(Unit, produced.office.kelurahan_id)
        with pytest.raises(ReportError, match="tidak memiliki unit di bawahnya"):
            collect_comparison(session, office_timezone(), unit, T2)


def test_dashboard_compares_and_links_the_downloads(app, client, make_user):
    with app.app_context():
        office = build_office(database.session())
        unit = database.session().get(Unit, office.kabupaten_id)
        database.session().expunge(unit)
    login(client, make_user(unit, "pimpinan"))
    page = client.get(f"/staf/unit/kabupaten-contoh/{PERIODE}").get_data(as_text=True)
    section = page.split('id="perbandingan"')[1].split("</section>")[0]
    assert "Kecamatan Sukamaju" in section and KONVERSI_TEXT in section
    assert "Belum Sesuai" in section
    assert "Kecamatan Lain" in section  # no responses yet: named below the table
    for extension in ("pdf", "docx", "xlsx"):
        link = f"/staf/laporan/kabupaten-contoh/rekap.{extension}?periode=2026-T2"
        assert link in section
        download = client.get(link)
        assert download.status_code == 200, extension
        assert download.headers["Content-Disposition"].endswith(
            f"rekap-skm-kabupaten-contoh-2026-T2.{extension}"
        )
    report_page = client.get(f"/staf/laporan/kabupaten-contoh/{PERIODE}").get_data(as_text=True)
    assert "/staf/laporan/kabupaten-contoh/rekap.docx?periode=2026-T2" in report_page
    # A kelurahan has no sub-units: back to the report page with the reason.
    back = client.get(f"/staf/laporan/kelurahan-mekarsari/rekap.pdf{PERIODE}")
    assert back.status_code == 302
