"""Kiosk and flagged-response decisions in the audit log: one entry per change,
for the unit the change belongs to, none for a refused request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape

from tests.kiosk.test_admin import _excluded, _post, _response
from tests.support.audit import logged
from tests.support.auth import login
from tests.support.forms import csrf_token

QUICK = "Selesai dalam 3 detik, terlalu cepat untuk dibaca"


def test_opening_closing_and_reopening_a_kiosk_are_logged(app, client, place) -> None:
    login(client, place.admin)
    token = csrf_token(client, "/staf/kiosk/")
    opened = client.post(
        "/staf/kiosk/buka",
        data={"csrf_token": token, "name": "Ruang tunggu", "unit_id": str(place.kelurahan.id),
              "layanan_id": ""},
    )  # fmt: skip
    assert opened.status_code == 201  # the page with the secret address, shown once
    (entry,) = logged(app)
    assert (entry.action, entry.username, entry.unit_id) == (
        "kios.open", "admin", place.kelurahan.id,
    )  # fmt: skip
    assert entry.summary == "Kios “Ruang tunggu” dibuka di Kelurahan Mekarsari"
    assert entry.changes == {
        "name": [None, "Ruang tunggu"],
        "layanan": [None, "semua layanan unit"],
    }
    kiosk_id = int(entry.object_id)
    assert f"/staf/kiosk/{kiosk_id}/ganti-alamat" in opened.get_data(as_text=True)

    assert _post(client, f"/staf/kiosk/{place.fixed_kiosk.id}/tutup", token) == 302
    # A second click on a closed kiosk changes nothing: no second entry.
    assert _post(client, f"/staf/kiosk/{place.fixed_kiosk.id}/tutup", token) == 302
    assert _post(client, f"/staf/kiosk/{place.fixed_kiosk.id}/buka-lagi", token) == 302
    closed, reopened = logged(app, after=entry.id)
    assert (closed.action, closed.username, closed.unit_id, closed.object_id) == (
        "kios.close", "admin", place.unit.id, str(place.fixed_kiosk.id),
    )  # fmt: skip
    assert closed.summary == "Kios “Loket KTP” (Kecamatan Sukamaju) ditutup"
    assert closed.changes == {"active": [True, False]}
    assert (reopened.action, reopened.changes) == ("kios.reopen", {"active": [False, True]})
    assert reopened.summary == "Kios “Loket KTP” (Kecamatan Sukamaju) dibuka lagi"

    # The kiosk's secret address never reaches the log, and the admin reads the entries.
    assert all(place.fixed_kiosk.token not in str(e) for e in logged(app))
    page = unescape(client.get("/admin/log").get_data(as_text=True))
    assert "Kios dibuka lagi" in page and "aktif: tidak → ya" in page
    assert "layanan: – → semua layanan unit" in page


def test_refused_kiosk_actions_leave_no_entry(app, client, place) -> None:
    login(client, place.admin)
    token = csrf_token(client, "/staf/kiosk/")
    bad = client.post(
        "/staf/kiosk/buka",
        data={"csrf_token": token, "name": " ", "unit_id": str(place.unit.id), "layanan_id": ""},
    )
    assert bad.status_code == 422
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/tutup", None) == 400  # no CSRF token
    login(client, place.operator)
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/tutup", token) == 403
    login(client, place.other_admin)
    other_token = csrf_token(client, "/staf/kiosk/")
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/tutup", other_token) == 404
    assert logged(app) == []


def test_excluding_a_response_and_counting_it_again_are_logged(app, client, place) -> None:
    flagged = _response(app, place.kelurahan.id, QUICK)
    login(client, place.operator)
    token = csrf_token(client, "/staf/kiosk/ditandai")
    url = f"/staf/kiosk/ditandai/{flagged}"
    assert client.post(url, data={"csrf_token": token, "aksi": "kecualikan"}).status_code == 302
    assert client.post(url, data={"csrf_token": token, "aksi": "kecualikan"}).status_code == 302
    assert client.post(url, data={"csrf_token": token, "aksi": "sertakan"}).status_code == 302
    assert not _excluded(app, flagged)
    excluded, counted = logged(app)  # the second "kecualikan" changed nothing
    assert (excluded.action, excluded.username, excluded.unit_id, excluded.object_id) == (
        "respons.exclude", "operator", place.kelurahan.id, str(flagged),
    )  # fmt: skip
    assert excluded.summary == (
        f"Respons #{flagged} (Kelurahan Mekarsari) dikecualikan dari perhitungan IKM; "
        f"tanda: {QUICK}"
    )
    assert excluded.changes == {"excluded": [False, True]}
    assert (counted.action, counted.changes) == ("respons.include", {"excluded": [True, False]})
    assert counted.summary.startswith(f"Respons #{flagged} (Kelurahan Mekarsari) dihitung lagi")


def test_exclude_all_is_one_entry_naming_how_many(app, client, place) -> None:
    shown_at = datetime.now(UTC)
    for unit, minutes in ((place.unit, 1), (place.unit, 2), (place.kelurahan, 3)):
        _response(app, unit.id, QUICK, received_at=shown_at - timedelta(minutes=minutes))
    _response(app, place.other.id, QUICK)  # another kecamatan: not this admin's
    login(client, place.admin)
    token = csrf_token(client, "/staf/kiosk/ditandai")
    for _ in range(2):  # the second time nothing is left to exclude
        response = client.post(
            "/staf/kiosk/ditandai/kecualikan-semua",
            data={"csrf_token": token, "sampai": shown_at.isoformat(), "status": "semua"},
        )
        assert response.status_code == 302
    (entry,) = logged(app)
    assert (entry.action, entry.username, entry.unit_id) == (
        "respons.exclude_all", "admin", place.unit.id,
    )  # fmt: skip
    assert entry.summary == (
        "3 respons bertanda di Kecamatan Sukamaju dan unit di bawahnya dikecualikan dari "
        "perhitungan IKM"
    )


def test_refused_decisions_leave_no_entry(app, client, place) -> None:
    flagged = _response(app, place.unit.id, QUICK)
    foreign = _response(app, place.other.id, QUICK)
    login(client, place.operator)
    token = csrf_token(client, "/staf/kiosk/ditandai")
    for response_id, action, status in (
        (flagged, "hapus", 400),  # not a decision
        (foreign, "kecualikan", 404),  # outside the operator's units
    ):
        answer = client.post(
            f"/staf/kiosk/ditandai/{response_id}", data={"csrf_token": token, "aksi": action}
        )
        assert answer.status_code == status
    no_time = client.post(
        "/staf/kiosk/ditandai/kecualikan-semua", data={"csrf_token": token, "sampai": "kemarin"}
    )
    assert no_time.status_code == 400
    login(client, place.pimpinan)
    answer = client.post(
        f"/staf/kiosk/ditandai/{flagged}", data={"csrf_token": token, "aksi": "kecualikan"}
    )
    assert answer.status_code == 403
    assert not _excluded(app, flagged)
    assert logged(app) == []
