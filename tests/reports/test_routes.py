"""The report page and its downloads: who may do what, and what comes back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from skm import database
from skm.models import Unit
from skm.models.reports import ReportNarrative, ReportSignatory
from tests.reports.helpers import INJECTION, KONVERSI_TEXT, build_office
from tests.support.auth import login
from tests.support.forms import post_form

PERIODE = "?periode=2026-T2"


@pytest.fixture
def office(app):
    with app.app_context():
        return build_office(database.session())


def _unit(app, unit_id):
    with app.app_context():
        unit = database.session().get(Unit, unit_id)
        database.session().expunge(unit)
        return unit


def test_sign_in_required(client, office):
    response = client.get(f"/staf/laporan/{office.kecamatan_slug}/{PERIODE}")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]
    download = client.get(f"/staf/laporan/{office.kecamatan_slug}/laporan.pdf{PERIODE}")
    assert download.status_code == 302


def test_page_shows_readiness_and_downloads(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "pimpinan"))
    page = client.get(f"/staf/laporan/{office.kecamatan_slug}/{PERIODE}").get_data(as_text=True)
    assert "Kesiapan laporan" in page
    assert KONVERSI_TEXT in page
    assert "Belum Sesuai" in page
    assert "Rencana tindak lanjut: 1 kegiatan" in page
    assert "Drs. H. Ahmad Sutisna" in page
    for endpoint in ("laporan.pdf", "ringkasan.pdf", "tabulasi.xlsx", "respons.csv"):
        assert f"/staf/laporan/{office.kecamatan_slug}/{endpoint}?periode=2026-T2" in page
    # pimpinan reads but has no forms to change the narrative or signatory
    assert 'action="/staf/laporan/' not in page.split('id="penandatangan"')[1]


def test_downloads(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "pimpinan"))
    base = f"/staf/laporan/{office.kecamatan_slug}"
    pdf = client.get(f"{base}/laporan.pdf{PERIODE}")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    disposition = pdf.headers["Content-Disposition"]
    assert "attachment" in disposition
    assert "laporan-skm-kecamatan-sukamaju-2026-T2.pdf" in disposition
    assert "no-store" in pdf.headers["Cache-Control"]
    summary = client.get(f"{base}/ringkasan.pdf{PERIODE}")
    assert summary.status_code == 200 and summary.data.startswith(b"%PDF")
    xlsx = client.get(f"{base}/tabulasi.xlsx{PERIODE}")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.data)).sheetnames[1] == "Tabulasi"
    csv = client.get(f"{base}/respons.csv{PERIODE}")
    assert csv.status_code == 200
    assert csv.data.startswith(b"\xef\xbb\xbf")
    assert ("'" + INJECTION).encode() in csv.data.replace(b'""', b'"')


def test_nothing_to_report_sends_back_with_a_message(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "operator"))
    response = client.get(
        f"/staf/laporan/{office.kecamatan_slug}/laporan.pdf?periode=2026-T3", follow_redirects=True
    )
    assert response.status_code == 200
    assert "Belum ada respons yang dapat dinilai" in response.get_data(as_text=True)
    bad = client.get(
        f"/staf/laporan/{office.kecamatan_slug}/laporan.pdf?periode=2026-T9", follow_redirects=True
    )
    assert "Triwulan harus 1 sampai 4" in bad.get_data(as_text=True)
    assert bad.mimetype == "text/html"


def test_other_units_are_out_of_reach(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "operator"))
    assert client.get(f"/staf/laporan/{office.other_slug}/{PERIODE}").status_code == 404
    assert client.get(f"/staf/laporan/{office.other_slug}/respons.csv{PERIODE}").status_code == 404
    # A kelurahan operator cannot read the kecamatan's report either.
    login(client, make_user(_unit(app, office.kelurahan_id), "operator"))
    assert client.get(f"/staf/laporan/{office.kecamatan_slug}/laporan.pdf").status_code == 404


def test_operator_edits_the_narrative(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "operator"))
    page = client.get(f"/staf/laporan/{office.kecamatan_slug}/{PERIODE}").get_data(as_text=True)
    assert "Puji syukur kami panjatkan" in page  # the default, ready to edit
    response = post_form(
        client,
        f"/staf/laporan/{office.kecamatan_slug}/narasi{PERIODE}",
        {"penutup": "Demikian, terima kasih.", "report_date": "2026-07-10"},
    )
    assert response.status_code == 302
    with app.app_context():
        row = database.session().query(ReportNarrative).one()
        assert row.periode_code == "2026-T2"
        assert row.penutup == "Demikian, terima kasih."
        assert row.include_saran is False  # the box was not ticked
        assert str(row.report_date) == "2026-07-10"
    pdf = client.get(f"/staf/laporan/{office.kecamatan_slug}/laporan.pdf{PERIODE}").data
    from tests.reports.test_pdf import pages_of

    text = " ".join(pages_of(pdf))
    assert "Demikian, terima kasih." in text
    assert "Sukamaju, 10 Juli 2026" in text
    assert INJECTION not in text


def test_bad_input_changes_nothing(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "operator"))
    base = f"/staf/laporan/{office.kecamatan_slug}"
    response = post_form(client, f"{base}/narasi{PERIODE}", {"penutup": "x" * 10_001})
    assert response.status_code == 400
    assert "Paling banyak 10.000 karakter" in response.get_data(as_text=True)
    response = post_form(client, f"{base}/penandatangan{PERIODE}", {"nama": "Budi", "nip": "12345"})
    assert response.status_code == 400
    assert "NIP terdiri atas 18 angka" in response.get_data(as_text=True)
    with app.app_context():
        session = database.session()
        assert session.query(ReportNarrative).count() == 0
        assert session.query(ReportSignatory).one().nama == "Drs. H. Ahmad Sutisna, M.Si."
    no_token = client.post(f"{base}/narasi{PERIODE}", data={"penutup": "tanpa token"})
    assert no_token.status_code == 400


def test_operator_sets_the_signatory(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "operator"))
    response = post_form(
        client,
        f"/staf/laporan/{office.kecamatan_slug}/penandatangan{PERIODE}",
        {"jabatan": "Camat", "nama": "Hj. Rina", "pangkat": "Pembina (IV/a)",
         "nip": "19800202 200501 2 002", "tempat": "Cibeureum"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        row = database.session().query(ReportSignatory).one()
        assert (row.nama, row.nip, row.tempat) == ("Hj. Rina", "198002022005012002", "Cibeureum")


def test_pimpinan_changes_nothing(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "pimpinan"))
    base = f"/staf/laporan/{office.kecamatan_slug}"
    assert post_form(client, f"{base}/narasi{PERIODE}", {"penutup": "x"}).status_code == 403
    assert post_form(client, f"{base}/penandatangan{PERIODE}", {"nama": "x"}).status_code == 403
    assert post_form(client, f"{base}/narasi/bawaan{PERIODE}").status_code == 403


def test_reset_to_defaults(app, client, office, make_user):
    login(client, make_user(_unit(app, office.kecamatan_id), "operator"))
    base = f"/staf/laporan/{office.kecamatan_slug}"
    post_form(client, f"{base}/narasi{PERIODE}", {"penutup": "Teks lain.", "include_saran": "y"})
    page = client.get(f"{base}/{PERIODE}").get_data(as_text=True)
    assert "Narasi diubah: BAB V · Penutup" in page
    assert post_form(client, f"{base}/narasi/bawaan{PERIODE}").status_code == 302
    with app.app_context():
        assert database.session().query(ReportNarrative).count() == 0
