"""IKU pages for each kind: a predikat target and a predikat select, component values of
a composite, whole counts, a decrease's target; Indonesian messages, nothing stored on
bad input; the table and the XLSX show each kind's realisasi and capaian."""

from __future__ import annotations

import io
from decimal import Decimal
from html import unescape

import sqlalchemy as sa
from openpyxl import load_workbook

from skm import database
from skm.models.iku import IkuIndicator, IkuRealisasi, IkuTarget
from tests.iku.test_pages import YEAR, indicator_form
from tests.support.audit import logged
from tests.support.auth import login
from tests.support.forms import csrf_from


def indicator_id(app, code: str) -> int:
    with app.app_context():
        return database.session().scalar(
            sa.select(IkuIndicator.id).where(IkuIndicator.code == code)
        )


def post_realisasi(client, slug: str, ident: int, **fields):
    url = f"/staf/iku/{slug}/indikator/{ident}/realisasi?tahun={YEAR}"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, data={"csrf_token": csrf_from(page.data.decode()), **fields})


def stored(app, ident: int) -> list[IkuRealisasi]:
    with app.app_context():
        return list(
            database.session().scalars(
                sa.select(IkuRealisasi).where(IkuRealisasi.indicator_id == ident)
            )
        )


def test_a_predikat_indicator_from_target_to_capaian(app, client, place) -> None:
    login(client, place.operator_id)
    created = indicator_form(
        client, place.slug, code="predikat-akip", name="Predikat Akuntabilitas Kinerja",
        satuan="Predikat", method="grade", scale="AA, A, BB, B, CC, C, D",
        **{f"target_{YEAR}": "BB"},
    )  # fmt: skip
    assert created.status_code == 302
    ident = indicator_id(app, "predikat-akip")
    with app.app_context():
        target = database.session().scalar(sa.select(IkuTarget))
        assert (target.grade, target.value) == ("BB", None)

    form = client.get(f"/staf/iku/{place.slug}/indikator/{ident}/realisasi?tahun={YEAR}")
    html = form.data.decode()
    assert "<select" in html and '<option value="CC">CC</option>' in html
    refused = post_realisasi(client, place.slug, ident, grade_0="E")
    assert refused.status_code == 422
    assert "Pilih predikat dari skala: AA, A, BB, B, CC, C, D." in unescape(refused.data.decode())
    assert stored(app, ident) == []

    assert post_realisasi(client, place.slug, ident, grade_0="B").status_code == 302
    table = unescape(client.get(f"/staf/iku/{place.slug}?tahun={YEAR}").data.decode())
    # B is 4th of 7 from the bottom, BB 5th: 4/5 = 80 %, "Tinggi" on the default scale.
    assert "80,00%" in table and "Tinggi" in table and "predikat berurutan" in table

    sheet = load_workbook(
        io.BytesIO(client.get(f"/staf/iku/{place.slug}/unduh?tahun={YEAR}").data)
    ).active
    assert [sheet.cell(6, c).value for c in (5, 6, 7, 8)] == ["BB", "B", 80, "Tinggi"]

    edit = unescape(client.get(f"/staf/iku/{place.slug}/indikator/{ident}").data.decode())
    assert 'value="BB"' in edit and 'value="AA, A, BB, B, CC, C, D"' in edit


def test_a_predikat_target_must_be_on_the_scale(app, client, place) -> None:
    login(client, place.operator_id)
    refused = indicator_form(client, place.slug, code="predikat-akip", name="Predikat AKIP",
                             satuan="Predikat", method="grade", scale="AA, A, BB",
                             **{f"target_{YEAR}": "B"})  # fmt: skip
    assert refused.status_code == 422
    assert "Target harus salah satu predikat skala: AA, A, BB." in unescape(refused.data.decode())
    one = indicator_form(client, place.slug, code="predikat-akip", name="Predikat AKIP",
                         satuan="Predikat", method="grade", scale="A",
                         **{f"target_{YEAR}": "A"})  # fmt: skip
    assert "paling sedikit dua predikat" in unescape(one.data.decode())
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count(IkuIndicator.id))) == 0


def test_a_composite_takes_one_component_per_line(app, client, place) -> None:
    login(client, place.operator_id)
    indicator_form(client, place.slug, code="sop", name="Persentase Pelayanan Publik Sesuai SOP",
                   satuan="%", method="composite", combination="mean",
                   **{f"target_{YEAR}": "95"})  # fmt: skip
    ident = indicator_id(app, "sop")
    bad = post_realisasi(client, place.slug, ident, components_0="100\n87,5\nsembilan puluh")
    assert bad.status_code == 422
    assert "Baris 3: 'sembilan puluh' bukan angka" in unescape(bad.data.decode())
    assert stored(app, ident) == []

    saved = post_realisasi(client, place.slug, ident, components_0="100\n87,5\n\n75\n90")
    assert saved.status_code == 302
    [entry] = stored(app, ident)
    assert entry.components.split() == ["100", "87.5", "75", "90"]
    table = unescape(client.get(f"/staf/iku/{place.slug}?tahun={YEAR}").data.decode())
    # (100 + 87,5 + 75 + 90) / 4 = 88,125 -> 88,13; 88,13 / 95 = 92,768... -> 92,77 %.
    assert "88,13" in table and "92,77%" in table and "rata-rata 4 komponen" in table
    again = client.get(f"/staf/iku/{place.slug}/indikator/{ident}/realisasi?tahun={YEAR}")
    assert "100\n87,5\n75\n90" in again.data.decode()


def test_a_count_is_a_whole_number(app, client, place) -> None:
    login(client, place.operator_id)
    indicator_form(client, place.slug, code="jumat-bersih", name="Gerakan Jum'at Bersih",
                   satuan="Kegt", method="count", **{f"target_{YEAR}": "48"})  # fmt: skip
    ident = indicator_id(app, "jumat-bersih")
    bad = post_realisasi(client, place.slug, ident, value_0="12,5")
    assert bad.status_code == 422
    assert "Jumlah harus bilangan bulat" in unescape(bad.data.decode())
    assert stored(app, ident) == []
    assert post_realisasi(client, place.slug, ident, value_0="52").status_code == 302
    table = unescape(client.get(f"/staf/iku/{place.slug}?tahun={YEAR}").data.decode())
    assert "108,33%" in table  # 52 / 48


def test_a_decrease_is_planned_as_a_negative_target(app, client, place) -> None:
    login(client, place.operator_id)
    positive = indicator_form(
        client, place.slug, code="pelanggaran", name="Persentase penurunan pelanggaran perda",
        satuan="%", method="change", polarity="lower", **{f"target_{YEAR}": "10"},
    )  # fmt: skip
    assert positive.status_code == 422
    assert "tulis target penurunan 10% sebagai −10" in unescape(positive.data.decode())
    created = indicator_form(
        client, place.slug, code="pelanggaran", name="Persentase penurunan pelanggaran perda",
        satuan="%", method="change", polarity="lower", **{f"target_{YEAR}": "-10"},
    )  # fmt: skip
    assert created.status_code == 302
    ident = indicator_id(app, "pelanggaran")
    saved = post_realisasi(client, place.slug, ident, current_count_0="40", previous_count_0="48")
    assert saved.status_code == 302
    table = unescape(client.get(f"/staf/iku/{place.slug}?tahun={YEAR}").data.decode())
    # (40 − 48) / 40 = −20 % against −10 %: 200 %.
    assert "-20,00" in table and "200,00%" in table and "n = 40, n−1 = 48" in table
    assert "penurunan yang diharapkan" in table
    with app.app_context():
        assert database.session().scalar(sa.select(IkuTarget.value)) == Decimal(-10)


def test_the_audit_log_shows_predikat_and_components(app, client, place) -> None:
    login(client, place.operator_id)
    indicator_form(client, place.slug, code="predikat-akip", name="Predikat AKIP",
                   satuan="Predikat", method="grade", scale="AA, A, BB, B, CC, C, D",
                   **{f"target_{YEAR}": "BB"})  # fmt: skip
    indicator_form(client, place.slug, code="sop", name="Pelayanan sesuai SOP", satuan="%",
                   method="composite", combination="mean", **{f"target_{YEAR}": "95"})  # fmt: skip
    created = logged(app)
    assert created[0].changes["scale"] == [None, "AA, A, BB, B, CC, C, D"]
    assert created[0].changes[f"target:{YEAR}"] == [None, "BB"]
    assert created[1].changes["combination"] == [None, "Rata-rata persentase komponen"]
    post_realisasi(client, place.slug, indicator_id(app, "predikat-akip"), grade_0="B")
    post_realisasi(client, place.slug, indicator_id(app, "sop"), components_0="100\n87,5")
    grade, components = logged(app, after=created[-1].id)
    assert grade.changes == {"grade:tahunan": [None, "B"]}
    assert components.changes == {"components:tahunan": [None, "100; 87,5"]}
