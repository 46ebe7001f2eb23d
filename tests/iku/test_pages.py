"""IKU pages: the table for pimpinan and operators, editing for operators, the XLSX."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from html import unescape

import sqlalchemy as sa
from openpyxl import load_workbook

from skm import database
from skm.iku.export import generate_iku_xlsx
from skm.models import Unit
from skm.models.iku import IkuIndicator, IkuRealisasi
from skm.responses import bulk_insert
from skm.results.capaian import DEFAULT_PREDIKAT
from skm.results.realisasi import IkuRow
from tests.support.auth import login
from tests.support.forms import csrf_from

YEAR = datetime.now(UTC).year


#: The indicator form's fields for an AKIP indicator (targets are added per test).
AKIP = {
    "code": "nilai-akip",
    "sasaran": "Meningkatnya Kualitas Manajemen dan Kinerja",
    "name": "Nilai AKIP",
    "satuan": "Nilai",
    "method": "value",
    "polarity": "higher",
    "include_subunits": "y",
}


def indicator_form(client, slug, **fields):
    page = client.get(f"/staf/iku/{slug}/indikator/baru")
    data = {"csrf_token": csrf_from(page.data.decode()), **AKIP, f"target_{YEAR}": "74,5"}
    data.update(fields)
    return client.post(f"/staf/iku/{place_slug(slug)}/indikator/baru", data=data)


def place_slug(slug: str) -> str:
    return slug


def test_operators_build_the_table_and_pimpinan_read_it(app, client, place) -> None:
    login(client, place.operator_id)
    created = indicator_form(client, place.slug)
    assert created.status_code == 302
    ratio = indicator_form(
        client, place.slug, code="wilayah-tertib", name="Persentase Wilayah yang Tertib",
        satuan="%", method="ratio", numerator_label="Jumlah zonasi yang ditingkatkan",
        denominator_label="Jumlah zona tertib", **{f"target_{YEAR}": "60"},
    )  # fmt: skip
    assert ratio.status_code == 302
    with app.app_context():
        zones = database.session().scalar(
            sa.select(IkuIndicator).where(IkuIndicator.code == "wilayah-tertib")
        )
        zones_id = zones.id
    page = client.get(f"/staf/iku/{place.slug}/indikator/{zones_id}/realisasi?tahun={YEAR}")
    form = {"csrf_token": csrf_from(page.data.decode()), "numerator_1": "9",
            "denominator_1": "44", "numerator_3": "24", "denominator_3": "44"}  # fmt: skip
    saved = client.post(f"/staf/iku/{place.slug}/indikator/{zones_id}/realisasi?tahun={YEAR}",
                        data=form)  # fmt: skip
    assert saved.status_code == 302
    with app.app_context():
        entries = (
            database.session()
            .scalars(sa.select(IkuRealisasi).order_by(IkuRealisasi.triwulan))
            .all()
        )
        assert [(e.triwulan, e.numerator, e.denominator, e.updated_by_name) for e in entries] == [
            (1, Decimal(9), Decimal(44), "Sri Wahyuni"),
            (3, Decimal(24), Decimal(44), "Sri Wahyuni"),
        ]

    table = unescape(client.get(f"/staf/iku/{place.slug}?tahun={YEAR}").data.decode())
    assert "Persentase Wilayah yang Tertib" in table and "Nilai AKIP" in table
    assert "54,55" in table and "90,92%" in table and "Tinggi" in table
    assert "Sampai Triwulan III" in table and "Isi realisasi" in table

    login(client, place.pimpinan_id)
    read = client.get(f"/staf/iku/{place.slug}?tahun={YEAR}").data.decode()
    assert "90,92%" in read and "Isi realisasi" not in read and "Tambah indikator" not in read
    assert client.get(f"/staf/iku/{place.slug}/indikator/baru").status_code == 403
    download = client.get(f"/staf/iku/{place.slug}/unduh?tahun={YEAR}")
    assert download.status_code == 200
    assert download.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert sheet["A2"].value == "Kecamatan Sukamaju"
    # exact: realisasi and capaian are Decimals rounded to two decimals
    assert [sheet.cell(7, c).value for c in (3, 4, 5, 6, 7, 8)] == [
        "Persentase Wilayah yang Tertib", "%", 60, 54.55, 90.92, "Tinggi"]  # fmt: skip
    login(client, place.outsider_id)
    assert client.get(f"/staf/iku/{place.slug}").status_code == 404  # as if it did not exist


def test_an_ikm_target_on_the_wrong_scale_is_refused_in_the_form(app, client, place) -> None:
    login(client, place.operator_id)
    refused = indicator_form(client, place.slug, code="ikm", name="IKM", method="ikm",
                             **{f"target_{YEAR}": "3,32"})  # fmt: skip
    assert refused.status_code == 422
    html = unescape(refused.data.decode())
    assert "Target IKM harus pada skala nilai konversi 25–100" in html
    assert "menjadi 83 (x 25)" in html
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count(IkuIndicator.id))) == 0


def test_the_ikm_row_shows_the_survey(app, client, place) -> None:
    login(client, place.operator_id)
    indicator_form(client, place.slug, code="ikm", name="Indeks Kepuasan Masyarakat",
                   method="ikm", **{f"target_{YEAR}": "84"})  # fmt: skip
    with app.app_context():
        session = database.session()
        unit = session.get(Unit, place.unit_id)
        when = datetime(YEAR, 1, 15, 3, tzinfo=UTC)
        row = {"unit_id": unit.id, "layanan_id": None, "instrument_key": "permenpan-14-2017",
               "instrument_version": 1, "submitted_at": when, "received_at": when,
               "channel": "kiosk", "excluded": False}  # fmt: skip
        answers = {f"u{i:02d}": 4 for i in range(1, 10)}
        bulk_insert(session, [dict(row, uuid=uuid.uuid4(), **answers) for _ in range(2)])
        session.commit()
    html = unescape(client.get(f"/staf/iku/{place.slug}?tahun={YEAR}").data.decode())
    # All answers 4: konversi 100,00; 100 / 84 x 100 = 119,047... -> 119,05 %.
    assert "100,00" in html and "119,05%" in html and "Survei: 2 responden" in html


def test_the_predikat_scale_is_edited_per_unit(app, client, place) -> None:
    login(client, place.operator_id)
    page = client.get(f"/staf/iku/{place.slug}/predikat")
    assert "Sangat Tinggi" in page.data.decode()
    token = csrf_from(page.data.decode())
    bad = client.post(f"/staf/iku/{place.slug}/predikat",
                      data={"csrf_token": token, "minimum_0": "50", "label_0": "Baik",
                            "minimum_1": "80", "label_1": "Sangat baik"})  # fmt: skip
    assert bad.status_code == 422
    assert "Hanya tingkat terakhir (terendah) yang tanpa batas bawah." in bad.data.decode()
    good = client.post(f"/staf/iku/{place.slug}/predikat",
                       data={"csrf_token": token, "minimum_0": "100", "label_0": "Tercapai",
                             "label_1": "Belum tercapai"})  # fmt: skip
    assert good.status_code == 302
    assert (
        "memakai skalanya sendiri" in client.get(f"/staf/iku/{place.slug}/predikat").data.decode()
    )
    indicator_form(client, place.slug)
    table = client.get(f"/staf/iku/{place.slug}").data.decode()
    assert "skala Kecamatan Sukamaju" in table and "Belum tercapai" in table


def row(**changes) -> IkuRow:
    values = dict(
        indicator_id=1, number=1, code="x", sasaran="=HYPERLINK(\"http://contoh\")",
        name="+62 indikator", satuan="%", polarity="higher", method="value",
        formula="-( Jumlah zonasi / Jumlah zona ) x 100 %", penanggung_jawab="@seksi",
        sumber_data="Laporan", target=Decimal("83.5"), realisasi=Decimal("84.17"),
        realisasi_note=None, capaian=Decimal("100.80"), capaian_note=None, predikat="Sangat Tinggi",
    )  # fmt: skip
    values.update(changes)
    return IkuRow(**values)


def test_the_xlsx_keeps_numbers_as_numbers_and_formulas_as_text() -> None:
    from datetime import date

    content = generate_iku_xlsx(
        [row()], unit_name="Kecamatan Uji", periode_label="Tahun 2026",
        steps=DEFAULT_PREDIKAT, generated_on=date(2026, 11, 23),
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(5, c).value for c in range(1, 9)] == [
        "No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
        "Capaian (%)", "Predikat"]  # fmt: skip
    # exact: target as stored; realisasi and capaian rounded (Decimal) to two decimals
    assert (sheet["E6"].value, sheet["F6"].value, sheet["G6"].value) == (83.5, 84.17, 100.8)
    for cell, text in (
        ("B6", '=HYPERLINK("http://contoh")'),
        ("C6", "+62 indikator"),
        ("K6", "-( Jumlah zonasi / Jumlah zona ) x 100 %"),
        ("L6", "@seksi"),
    ):
        assert sheet[cell].value == text
        assert sheet[cell].data_type == "s"  # text, never a formula
        assert sheet[cell].quotePrefix
    assert "Dibuat dengan SKM pada 23 November 2026." in [
        sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]  # fmt: skip


def test_the_xlsx_keeps_text_after_a_tab_or_return_as_text() -> None:
    # Some spreadsheets skip a leading tab or carriage return before looking
    # for "=": the IKU export once missed them (it kept its own list).
    from datetime import date

    content = generate_iku_xlsx(
        [row(sasaran="\t=HYPERLINK(\"http://contoh\")", name="\r=1+1", sumber_data="Laporan\x01")],
        unit_name="Kecamatan Uji", periode_label="Tahun 2026",
        steps=DEFAULT_PREDIKAT, generated_on=date(2026, 11, 23),
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(content)).active
    for cell, text in (("B6", '\t=HYPERLINK("http://contoh")'), ("C6", "\r=1+1")):
        assert sheet[cell].value == text
        assert sheet[cell].data_type == "s"
        assert sheet[cell].quotePrefix
    # A control character XML cannot hold is dropped instead of failing the export.
    assert sheet["M6"].value == "Laporan"
