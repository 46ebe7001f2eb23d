"""Imports, undo and paper entry in the audit log: one entry per import, per undo and
per day's batch of paper forms (not per form), none for what was refused."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

from skm.formatting import format_date
from tests.paper.test_entry import JSON, form_data, post, stored, today
from tests.paper.test_import import BAD_ROWS, GOOD_ROWS, HEADER, confirm, csv_bytes, upload
from tests.support.audit import logged
from tests.support.auth import login
from tests.support.forms import csrf_from


def test_a_confirmed_import_is_one_entry_and_a_preview_none(app, client, place) -> None:
    login(client, place.operator_id)
    content = csv_bytes(HEADER, *GOOD_ROWS)
    preview = upload(client, place.slug, content, filename="tw1-2025.csv")
    assert preview.status_code == 200
    assert logged(app) == []  # looking at a preview changes nothing
    assert confirm(client, place.slug, preview.data.decode()).status_code == 302
    (entry,) = logged(app)
    assert (entry.action, entry.username, entry.unit_id, entry.object_type) == (
        "impor.create", "sri", place.unit_id, "ImportBatch",
    )  # fmt: skip
    assert entry.summary == (
        "3 respons dari tw1-2025.csv diimpor ke Kecamatan Sukamaju (Triwulan I 2025)"
    )
    assert entry.changes == {
        "filename": [None, "tw1-2025.csv"],
        "periode": [None, "Triwulan I 2025"],
        "row_count": [None, 3],
    }


def test_a_refused_import_leaves_no_entry(app, client, place) -> None:
    login(client, place.operator_id)
    bad = upload(client, place.slug, csv_bytes(HEADER, *BAD_ROWS))
    assert bad.status_code == 422
    good = csv_bytes(HEADER, *GOOD_ROWS)
    confirm(client, place.slug, upload(client, place.slug, good).data.decode())
    again = upload(client, place.slug, good, filename="salinan.csv")
    assert "Berkas yang sama sudah diimpor" in again.data.decode()
    # A stale preview token is refused with a message, not imported.
    stale = client.post(
        f"/staf/impor/{place.slug}/simpan",
        data={"csrf_token": csrf_from(again.data.decode()), "token": "tidak-ada"},
    )
    assert stale.status_code == 302
    assert [e.action for e in logged(app)] == ["impor.create"]  # the good file only


def test_undoing_an_import_is_logged_once(app, client, place) -> None:
    login(client, place.operator_id)
    confirm(
        client, place.slug, upload(client, place.slug, csv_bytes(HEADER, *GOOD_ROWS)).data.decode()
    )
    (imported,) = logged(app)
    batch_id = imported.object_id
    login(client, place.outsider_id)  # another kecamatan
    own_page = client.get(f"/staf/kertas/{place.other_slug}").data.decode()
    refused = client.post(f"/staf/impor/batch/{batch_id}/batalkan",
                          data={"csrf_token": csrf_from(own_page)})  # fmt: skip
    assert refused.status_code == 404  # outside the subtree: as if it did not exist
    login(client, place.second_operator_id)
    ask = client.get(f"/staf/impor/batch/{batch_id}/batalkan").data.decode()
    assert len(logged(app)) == 1  # asking is not undoing
    for _ in range(2):  # the second time the batch is undone already: refused
        done = client.post(f"/staf/impor/batch/{batch_id}/batalkan",
                           data={"csrf_token": csrf_from(ask)})  # fmt: skip
        assert done.status_code == 302
    (undone,) = logged(app, after=imported.id)
    assert (undone.action, undone.username, undone.unit_id, undone.object_id) == (
        "impor.undo", "budi", place.unit_id, batch_id,
    )  # fmt: skip
    assert undone.summary == (
        "Impor tabulasi.csv (Kecamatan Sukamaju, Triwulan I 2025) dibatalkan: 3 respons dihapus"
    )
    assert undone.changes == {"row_count": [3, 0]}


def test_a_days_paper_forms_are_one_entry_not_one_per_form(app, client, place) -> None:
    login(client, place.operator_id)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    for refused in (
        form_data(client, place, "444454444"),  # no answer 5 on the paper
        form_data(client, place, "333333333", tanggal=tomorrow),
        form_data(client, place, "333333333", p_usia="7"),
    ):
        assert post(client, place, refused).status_code == 422
    assert logged(app) == []  # a refused first form opens no batch
    for answers in ("444444444", "333333333", "222222222"):
        assert (
            post(client, place, form_data(client, place, answers)).get_json()["status"] == "saved"
        )
    again = post(client, place, form_data(client, place, "222222222"))
    assert again.status_code == 409  # the same sheet twice: not saved
    (entry,) = logged(app)
    assert (entry.action, entry.username, entry.unit_id, entry.object_type) == (
        "kertas.batch", "sri", place.unit_id, "ImportBatch",
    )  # fmt: skip
    assert entry.summary == (
        f"Formulir kertas Kecamatan Sukamaju mulai diketik pada {format_date(today())}; "
        "formulir berikutnya hari itu masuk batch yang sama (lihat Riwayat impor)"
    )
    # Another operator's forms are their own batch, with their own entry.
    login(client, place.second_operator_id)
    post(client, place, form_data(client, place, "111111111"))
    assert [(e.action, e.username) for e in logged(app)] == [
        ("kertas.batch", "sri"), ("kertas.batch", "budi"),
    ]  # fmt: skip


def test_deleting_a_form_and_undoing_a_day_are_logged(app, client, place) -> None:
    login(client, place.operator_id)
    for answers in ("444444444", "333333333"):
        post(client, place, form_data(client, place, answers))
    first, second = stored(app)
    (started,) = logged(app)
    token = csrf_from(client.get(f"/staf/kertas/{place.slug}").data.decode())

    login(client, place.second_operator_id)  # not the operator who typed it: refused
    refused = client.post(f"/staf/kertas/{place.slug}/hapus/{first.id}",
                          data={"csrf_token": token}, headers=JSON)  # fmt: skip
    assert refused.status_code == 403
    assert logged(app, after=started.id) == []

    login(client, place.operator_id)
    deleted = client.post(f"/staf/kertas/{place.slug}/hapus/{first.id}",
                          data={"csrf_token": token}, headers=JSON)  # fmt: skip
    assert deleted.status_code == 200
    (removed,) = logged(app, after=started.id)
    survey_day = first.submitted_at.date()  # noon of the survey day: its UTC date is that day
    assert (removed.action, removed.username, removed.unit_id, removed.object_id) == (
        "kertas.delete", "sri", place.unit_id, str(first.id),
    )  # fmt: skip
    assert removed.summary == (
        f"Formulir kertas #{first.id} (Kecamatan Sukamaju, tanggal survei "
        f"{format_date(survey_day)}) dihapus dari entri {format_date(today())}"
    )

    ask = client.get(f"/staf/impor/batch/{started.object_id}/batalkan").data.decode()
    client.post(f"/staf/impor/batch/{started.object_id}/batalkan",
                data={"csrf_token": csrf_from(ask)})  # fmt: skip
    assert [r.id for r in stored(app)] == []
    undone = logged(app, after=removed.id)
    assert [(e.action, e.username, e.unit_id, e.changes) for e in undone] == [
        ("kertas.undo", "sri", place.unit_id, {"row_count": [1, 0]}),  # only the second form
    ]
    assert undone[0].summary == (
        f"Formulir kertas Kecamatan Sukamaju yang diketik Sri Wahyuni pada "
        f"{format_date(today())} dibatalkan: 1 respons dihapus"
    )
    assert second.id not in [r.id for r in stored(app)]

    login(client, place.admin_id)
    page = unescape(client.get("/admin/log").data.decode())
    assert "Entri formulir kertas dibatalkan" in page and "jumlah respons: 1 → 0" in page
