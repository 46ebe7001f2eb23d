"""IKU changes in the audit log: indicators with their targets, realisation and the
predikat scale, each with what changed (before → after); nothing for refused input."""

from __future__ import annotations

from html import unescape

from tests.iku.test_pages import AKIP, YEAR, indicator_form
from tests.support.audit import logged
from tests.support.auth import login
from tests.support.forms import csrf_from


def _edit(client, slug: str, indicator_id: str, **fields):
    url = f"/staf/iku/{slug}/indikator/{indicator_id}"
    token = csrf_from(client.get(url).data.decode())
    return client.post(url, data={"csrf_token": token, **AKIP, **fields})


def test_creating_an_indicator_logs_it_with_its_target(app, client, place) -> None:
    login(client, place.operator_id)
    assert indicator_form(client, place.slug).status_code == 302
    (entry,) = logged(app)
    assert (entry.action, entry.username, entry.unit_id, entry.object_type) == (
        "iku.create", "sri", place.unit_id, "IkuIndicator",
    )  # fmt: skip
    assert entry.summary == "Indikator nilai-akip (Nilai AKIP) ditambahkan di Kecamatan Sukamaju"
    assert entry.changes == {
        "code": [None, "nilai-akip"],
        "sasaran": [None, "Meningkatnya Kualitas Manajemen dan Kinerja"],
        "name": [None, "Nilai AKIP"],
        "satuan": [None, "Nilai"],
        "polarity": [None, "Makin tinggi makin baik"],
        "method": [None, "Nilai yang diisi langsung"],
        f"target:{YEAR}": [None, "74,5"],
    }


def test_editing_an_indicator_logs_only_what_changed(app, client, place) -> None:
    login(client, place.operator_id)
    indicator_form(client, place.slug)
    (created,) = logged(app)
    indicator_id = created.object_id
    changed = _edit(client, place.slug, indicator_id, satuan="Indeks",
                    **{f"target_{YEAR}": "76", f"target_{YEAR + 1}": "77,25"})  # fmt: skip
    assert changed.status_code == 302
    # Saved again as it is: nothing changed, nothing logged.
    same = _edit(client, place.slug, indicator_id, satuan="Indeks",
                 **{f"target_{YEAR}": "76", f"target_{YEAR + 1}": "77,25"})  # fmt: skip
    assert same.status_code == 302
    # A target field emptied removes that year's target.
    cleared = _edit(client, place.slug, indicator_id, satuan="Indeks",
                    **{f"target_{YEAR}": "76"})  # fmt: skip
    assert cleared.status_code == 302
    edited, removed = logged(app, after=created.id)
    assert (edited.action, edited.username, edited.unit_id, edited.object_id) == (
        "iku.update", "sri", place.unit_id, indicator_id,
    )  # fmt: skip
    assert edited.summary == "Indikator nilai-akip (Nilai AKIP) diubah di Kecamatan Sukamaju"
    assert edited.changes == {
        "satuan": ["Nilai", "Indeks"],
        f"target:{YEAR}": ["74,5", "76"],
        f"target:{YEAR + 1}": [None, "77,25"],
    }
    assert removed.changes == {f"target:{YEAR + 1}": ["77,25", None]}

    login(client, place.admin_id)
    page = unescape(client.get("/admin/log").data.decode())
    assert "Indikator IKU diubah" in page
    assert f"target {YEAR}: 74,5 → 76" in page and "satuan: Nilai → Indeks" in page


def test_refused_indicator_changes_leave_no_entry(app, client, place) -> None:
    login(client, place.operator_id)
    wrong_scale = indicator_form(client, place.slug, code="ikm", name="IKM", method="ikm",
                                 **{f"target_{YEAR}": "3,32"})  # fmt: skip
    assert wrong_scale.status_code == 422
    indicator_form(client, place.slug)
    (created,) = logged(app)
    taken = indicator_form(client, place.slug, name="Nilai AKIP lagi")  # the same code
    assert taken.status_code == 422
    not_a_number = _edit(client, place.slug, created.object_id, **{f"target_{YEAR}": "tinggi"})
    assert not_a_number.status_code == 422
    url = f"/staf/iku/{place.slug}/indikator/{created.object_id}"
    token = csrf_from(client.get(url).data.decode())  # the session keeps it across sign-ins
    for user_id in (place.pimpinan_id, place.outsider_id):
        login(client, user_id)
        refused = client.post(url, data={"csrf_token": token, **AKIP, "satuan": "Indeks"})
        # pimpinan may not write (403); another kecamatan's unit does not exist for them (404)
        assert refused.status_code == (404 if user_id == place.outsider_id else 403)
    assert logged(app, after=created.id) == []


def _realisasi(client, slug: str, indicator_id: str, **fields):
    url = f"/staf/iku/{slug}/indikator/{indicator_id}/realisasi?tahun={YEAR}"
    token = csrf_from(client.get(url).data.decode())
    return client.post(url, data={"csrf_token": token, **fields})


def test_realisation_is_one_entry_per_save_with_before_and_after(app, client, place) -> None:
    login(client, place.operator_id)
    indicator_form(client, place.slug, code="wilayah-tertib", name="Persentase Wilayah Tertib",
                   satuan="%", method="ratio")  # fmt: skip
    (created,) = logged(app)
    indicator_id = created.object_id
    first = _realisasi(client, place.slug, indicator_id, numerator_1="9", denominator_1="44",
                       value_1="99")  # a value is not an input of a ratio: not stored  # fmt: skip
    assert first.status_code == 302
    zero = _realisasi(client, place.slug, indicator_id, numerator_1="9", denominator_1="0")
    assert zero.status_code == 422  # refused: the entry of the first save stays the only one
    year_end = {"numerator_0": "40", "denominator_0": "44", "note_0": "Rekap akhir tahun"}
    second = _realisasi(
        client, place.slug, indicator_id, numerator_1="10", denominator_1="44", **year_end
    )
    assert second.status_code == 302
    entered, corrected = logged(app, after=created.id)
    assert (entered.action, entered.username, entered.unit_id, entered.object_id) == (
        "iku.realisasi", "sri", place.unit_id, indicator_id,
    )  # fmt: skip
    assert entered.summary == (
        f"Realisasi {YEAR} indikator wilayah-tertib (Persentase Wilayah Tertib) "
        "di Kecamatan Sukamaju"
    )
    assert entered.changes == {
        "numerator:Triwulan I": [None, "9"],
        "denominator:Triwulan I": [None, "44"],
    }
    assert corrected.changes == {
        "numerator:Triwulan I": ["9", "10"],
        "numerator:tahunan": [None, "40"],
        "denominator:tahunan": [None, "44"],
        "note:tahunan": [None, "Rekap akhir tahun"],
    }
    login(client, place.admin_id)
    page = unescape(client.get("/admin/log").data.decode())
    assert "Realisasi IKU diisi" in page and "pembilang Triwulan I: 9 → 10" in page
    assert "catatan tahunan: – → Rekap akhir tahun" in page


def test_deleting_an_indicator_and_changing_the_scale_are_logged(app, client, place) -> None:
    login(client, place.operator_id)
    indicator_form(client, place.slug)
    (created,) = logged(app)
    url = f"/staf/iku/{place.slug}/predikat"
    token = csrf_from(client.get(url).data.decode())
    refused = client.post(url, data={"csrf_token": token, "minimum_0": "50", "label_0": "Baik",
                                     "minimum_1": "80", "label_1": "Sangat baik"})  # fmt: skip
    assert refused.status_code == 422
    scale = client.post(url, data={"csrf_token": token, "minimum_0": "100", "label_0": "Tercapai",
                                   "label_1": "Belum tercapai"})  # fmt: skip
    assert scale.status_code == 302
    deleted = client.post(f"/staf/iku/{place.slug}/indikator/{created.object_id}/hapus",
                          data={"csrf_token": token})  # fmt: skip
    assert deleted.status_code == 302
    predikat, removed = logged(app, after=created.id)
    assert (predikat.action, predikat.username, predikat.unit_id) == (
        "iku.predikat", "sri", place.unit_id,
    )  # fmt: skip
    assert predikat.changes == {
        "predikat": [
            "≥ 91 Sangat Tinggi; ≥ 76 Tinggi; ≥ 66 Sedang; ≥ 51 Rendah; "
            "di bawahnya Sangat Rendah (skala bawaan)",
            "≥ 100 Tercapai; di bawahnya Belum tercapai",
        ]
    }
    assert (removed.action, removed.unit_id, removed.object_id) == (
        "iku.delete", place.unit_id, created.object_id,
    )  # fmt: skip
    assert removed.summary == (
        "Indikator nilai-akip (Nilai AKIP) dihapus beserta target dan realisasinya"
    )
