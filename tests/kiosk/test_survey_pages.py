"""The citizen's survey pages: the page itself, the plain form, the JSON endpoint."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest

from skm import database
from skm.models.kiosk import Kiosk
from skm.responses import SARAN_MAX_LENGTH
from tests.support.submissions import (
    ASKED,
    INSTRUMENT,
    answers,
    count_stored,
    payload,
    post_json,
    stored,
    survey_token,
)


def _rows(app):
    with app.app_context():
        return stored(database.session())


# --- the page -------------------------------------------------------------------


def test_survey_page_asks_the_nine_questions_in_annex_order(client, place) -> None:
    response = client.get("/survei/kecamatan-sukamaju")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="id"' in html
    assert "Kecamatan Sukamaju" in html
    # One fieldset per question, in questionnaire order: sarana is asked 8th, pengaduan 9th.
    assert re.findall(r'data-unsur="([a-z]+)"', html) == ASKED
    assert ASKED[7:] == ["sarana", "pengaduan"]
    for question in INSTRUMENT.questions:
        assert question.text in html
        for option in question.options:
            assert f'name="{question.unsur_key}" value="{option.value}"' in html
            assert option.label in html
    assert "Rekomendasi KTP" in html and "Kartu Keluarga" in html
    assert 'autocomplete="off"' in html


def test_survey_pages_load_nothing_from_elsewhere_and_are_never_cached(client, place) -> None:
    response = client.get("/survei/kecamatan-sukamaju")
    html = response.get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert response.headers["Cache-Control"] == "no-store"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["Referrer-Policy"] == "no-referrer"  # the address is the kiosk's secret


def test_unknown_unit_is_404(client, place) -> None:
    assert client.get("/survei/kecamatan-entah").status_code == 404


def test_a_counter_qr_code_fixes_the_layanan(client, place) -> None:
    html = client.get(f"/survei/kecamatan-sukamaju?layanan={place.kk.id}").get_data(as_text=True)
    assert f'<input type="hidden" name="layanan_id" value="{place.kk.id}">' in html
    assert 'data-step="layanan"' not in html


def test_kiosk_page_shows_the_survey_and_no_link_to_anything_else(client, place) -> None:
    response = client.get(f"/kiosk/{place.kiosk.token}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-mode="kiosk"' in html
    assert "<a " not in html


def test_kiosk_with_a_fixed_layanan_does_not_ask_it(client, place) -> None:
    html = client.get(f"/kiosk/{place.fixed_kiosk.token}").get_data(as_text=True)
    assert 'data-step="layanan"' not in html
    assert "Layanan: Rekomendasi KTP" in html


def test_unknown_kiosk_is_404_and_a_closed_one_says_so(app, client, place) -> None:
    assert client.get("/kiosk/bukan-token").status_code == 404
    with app.app_context():
        session = database.session()
        session.get(Kiosk, place.kiosk.id).active = False
        session.commit()
    response = client.get(f"/kiosk/{place.kiosk.token}")
    assert response.status_code == 410
    assert "sedang ditutup" in response.get_data(as_text=True)


# --- JSON: the one-question-per-screen flow ---------------------------------------


def test_a_phone_survey_is_stored_once_by_its_uuid(app, client, place) -> None:
    token = survey_token(client)
    body = payload(place.ktp.id)
    first = post_json(client, "/survei/kecamatan-sukamaju/kirim", body, token)
    again = post_json(client, "/survei/kecamatan-sukamaju/kirim", body, token)
    assert (first.status_code, first.get_json()["status"]) == (201, "created")
    assert (again.status_code, again.get_json()["status"]) == (200, "duplicate")
    (row,) = _rows(app)
    assert str(row.uuid) == body["uuid"]
    assert (row.unit_id, row.layanan_id, row.channel, row.kiosk_id) == (
        place.unit.id, place.ktp.id, "web", None,
    )  # fmt: skip
    # Slot u08 is U8 pengaduan (asked 9th), u09 is U9 sarana (asked 8th).
    given = body["answers"]
    assert row.answers(9) == [given[u.key] for u in INSTRUMENT.unsur]
    assert (row.u08, row.u09) == (given["pengaduan"], given["sarana"])
    assert (row.jenis_kelamin, row.usia, row.pendidikan) == ("P", 41, "sma")
    assert row.saran == "Antrean pagi panjang."
    assert row.submitted_at - row.started_at == timedelta(minutes=2)
    assert row.flag is None and row.excluded is False


def test_a_kiosk_survey_is_stored_for_the_kiosk(app, client, place) -> None:
    token = survey_token(client)
    before = datetime.now(UTC)
    response = post_json(client, f"/kiosk/{place.kiosk.token}/kirim", payload(place.kk.id), token)
    assert response.status_code == 201
    (row,) = _rows(app)
    assert (row.channel, row.kiosk_id, row.layanan_id) == ("kiosk", place.kiosk.id, place.kk.id)
    with app.app_context():
        kiosk = database.session().get(Kiosk, place.kiosk.id)
        assert kiosk.last_delivery_at is not None and kiosk.last_delivery_at >= before


def test_a_fixed_layanan_kiosk_answers_for_its_layanan_only(app, client, place) -> None:
    token = survey_token(client)
    url = f"/kiosk/{place.fixed_kiosk.token}/kirim"
    assert post_json(client, url, payload(None), token).status_code == 201
    refused = post_json(client, url, payload(place.kk.id), token)
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["layanan"] == "Kios ini hanya untuk satu jenis layanan."
    (row,) = _rows(app)
    assert row.layanan_id == place.ktp.id


def test_a_closed_kiosk_refuses_deliveries_so_its_tablet_keeps_them(app, client, place) -> None:
    token = survey_token(client)
    with app.app_context():
        session = database.session()
        session.get(Kiosk, place.kiosk.id).active = False
        session.commit()
    response = post_json(client, f"/kiosk/{place.kiosk.token}/kirim", payload(place.kk.id), token)
    assert response.status_code == 410
    assert response.get_json()["message"] == "Kios ini sudah ditutup oleh petugas."
    assert count_stored(app) == 0


def _incomplete():
    given = answers()
    del given["perilaku"]
    return given


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"answers": _incomplete()}, "perilaku", "Pertanyaan 7 belum dijawab."),
        (
            {"answers": {**answers(), "waktu": 5}},
            "waktu",
            "Jawaban untuk Waktu Penyelesaian harus bilangan bulat 1 sampai 4.",
        ),
        ({"answers": {**answers(), "biaya": "4"}}, "biaya", "harus bilangan bulat"),
        ({"layanan_id": 999_999}, "layanan", "Jenis layanan tidak dikenal untuk unit ini."),
        ({"layanan_id": None}, "layanan", "Pilih jenis layanan yang Anda terima."),
        (
            {"saran": "x" * (SARAN_MAX_LENGTH + 1)},
            "saran",
            f"Saran paling banyak {SARAN_MAX_LENGTH} karakter.",
        ),
        ({"uuid": "123"}, "uuid", "Kode survei (UUID) tidak ada atau tidak sah."),
        ({"profile": {"usia": 7}}, "usia", "Usia harus antara 15 dan 100."),
        (
            {"started_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()},
            "started_at",
            "Waktu mulai survei sesudah waktu selesai.",
        ),
    ],
)
def test_a_bad_survey_is_refused_with_a_reason_and_nothing_is_stored(
    app, client, place, changes, field, message
) -> None:
    body = payload(place.ktp.id)
    body.update(changes)
    response = post_json(client, "/survei/kecamatan-sukamaju/kirim", body, survey_token(client))
    assert response.status_code == 422
    data = response.get_json()
    assert data["error"] == "invalid"
    assert message in data["errors"][field]
    assert count_stored(app) == 0


def test_a_layanan_of_another_unit_is_refused(app, client, place) -> None:
    response = post_json(
        client, "/survei/kecamatan-sukamaju/kirim", payload(place.foreign.id), survey_token(client)
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["layanan"] == "Jenis layanan tidak dikenal untuk unit ini."
    assert count_stored(app) == 0


@pytest.mark.parametrize("body", [b'{"uuid": "a", ', b"\xff\xfe", b""])
def test_malformed_json_is_refused(app, client, place, body) -> None:
    response = client.post(
        "/survei/kecamatan-sukamaju/kirim",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": survey_token(client)},
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": "json", "message": "Data survei bukan JSON yang sah."}
    assert count_stored(app) == 0


def test_json_that_is_not_an_object_is_refused(app, client, place) -> None:
    response = post_json(client, "/survei/kecamatan-sukamaju/kirim", [1, 2], survey_token(client))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"data": "Data harus berupa objek JSON."}


def test_unknown_unit_or_kiosk_in_json_is_404(app, client, place) -> None:
    token = survey_token(client)
    assert post_json(client, "/survei/entah/kirim", payload(), token).status_code == 404
    assert post_json(client, "/kiosk/entah/kirim", payload(), token).status_code == 404
    assert count_stored(app) == 0


def test_a_quick_straight_line_survey_is_stored_flagged(app, client, place) -> None:
    now = datetime.now(UTC)
    body = payload(
        place.ktp.id,
        answers=answers([4] * 9),
        started_at=(now - timedelta(seconds=8)).isoformat(),
    )
    response = post_json(client, "/survei/kecamatan-sukamaju/kirim", body, survey_token(client))
    assert response.status_code == 201
    (row,) = _rows(app)
    assert row.flag == "Selesai dalam 8 detik, terlalu cepat untuk dibaca"
    assert row.excluded is False  # kept and counted until staff decide


def test_overlapping_surveys_on_one_kiosk_are_flagged(app, client, place) -> None:
    token = survey_token(client)
    url = f"/kiosk/{place.kiosk.token}/kirim"
    now = datetime.now(UTC)
    first = payload(place.ktp.id, started_at=(now - timedelta(minutes=2)).isoformat())
    second = payload(place.ktp.id, started_at=(now - timedelta(minutes=1)).isoformat())
    assert post_json(client, url, first, token).status_code == 201
    assert post_json(client, url, second, token).status_code == 201
    rows = _rows(app)
    assert rows[0].flag is None
    assert rows[1].flag == "Waktunya bertumpuk dengan survei lain di kios yang sama"


# --- CSRF for a page left open for weeks ---------------------------------------------


def test_a_submission_without_csrf_token_is_refused_and_a_fresh_token_works(
    app, client, place
) -> None:
    body = payload(place.ktp.id)
    refused = post_json(client, "/survei/kecamatan-sukamaju/kirim", body)
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "csrf"
    assert "token baru" in refused.get_json()["message"]
    assert count_stored(app) == 0
    accepted = post_json(client, "/survei/kecamatan-sukamaju/kirim", body, survey_token(client))
    assert accepted.status_code == 201


def test_an_expired_csrf_token_is_refused_with_the_renewal_hint(app, client, place) -> None:
    from itsdangerous import URLSafeTimedSerializer

    survey_token(client)  # the session now holds the raw token
    with client.session_transaction() as flask_session:
        raw = flask_session["csrf_token"]

    class TwoHoursAgo(URLSafeTimedSerializer):
        def make_signer(self, salt=None):
            signer = super().make_signer(salt)
            signer.get_timestamp = lambda: int(datetime.now(UTC).timestamp()) - 7200
            return signer

    expired = TwoHoursAgo(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    response = post_json(client, "/survei/kecamatan-sukamaju/kirim", payload(place.ktp.id), expired)
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf"
    assert count_stored(app) == 0


# --- the plain form (no JavaScript) ------------------------------------------------------


def _form_fields(html: str) -> dict[str, str]:
    pattern = r'<input type="hidden" name="(csrf_token|mulai|instrumen)" value="([^"]*)"'
    return dict(re.findall(pattern, html))


def _filled_form(client, layanan_id: int, **changes: str) -> dict[str, str]:
    fields = _form_fields(client.get("/survei/kecamatan-sukamaju").get_data(as_text=True))
    fields.update({key: str(value) for key, value in answers().items()})
    fields.update({"layanan_id": str(layanan_id), "jenis_kelamin": "L", "usia": "63", "saran": ""})
    fields.update(changes)
    return fields


def test_the_plain_form_stores_a_web_response_and_thanks(app, client, place) -> None:
    form = _filled_form(client, place.kk.id)
    response = client.post("/survei/kecamatan-sukamaju", data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/survei/kecamatan-sukamaju/terima-kasih")
    thanks = client.get("/survei/kecamatan-sukamaju/terima-kasih").get_data(as_text=True)
    assert "Terima kasih" in thanks and 'http-equiv="refresh"' in thanks
    (row,) = _rows(app)
    assert (row.channel, row.layanan_id) == ("web", place.kk.id)
    assert (row.usia, row.jenis_kelamin) == (63, "L")
    assert row.answers(9) == [answers()[u.key] for u in INSTRUMENT.unsur]
    # The start time is the moment the form was served (signed in the form).
    assert row.started_at is not None and row.started_at <= row.submitted_at


def test_the_plain_form_sent_twice_stores_one_response(app, client, place) -> None:
    form = _filled_form(client, place.kk.id)
    assert client.post("/survei/kecamatan-sukamaju", data=form).status_code == 303
    assert client.post("/survei/kecamatan-sukamaju", data=form).status_code == 303
    assert count_stored(app) == 1


def test_the_plain_form_with_missing_answers_keeps_the_given_ones(app, client, place) -> None:
    form = _filled_form(client, place.kk.id)
    del form["perilaku"], form["sarana"]
    response = client.post("/survei/kecamatan-sukamaju", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Pertanyaan 7 belum dijawab." in html and "Pertanyaan 8 belum dijawab." in html
    # What was answered stays chosen, and the same survey UUID is kept.
    assert f'name="persyaratan" value="{answers()["persyaratan"]}" checked' in html
    assert 'name="usia" type="number"' in html and 'value="63"' in html
    assert _form_fields(html)["mulai"] == form["mulai"]
    assert count_stored(app) == 0


def test_the_plain_form_with_an_expired_csrf_token_keeps_every_answer(app, client, place) -> None:
    form = _filled_form(client, place.kk.id, csrf_token="kedaluwarsa")
    response = client.post("/survei/kecamatan-sukamaju", data=form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "tekan Kirim sekali lagi" in html
    assert f'name="layanan_id" value="{place.kk.id}" checked' in html
    fresh = _form_fields(html)
    assert fresh["csrf_token"] != "kedaluwarsa"
    assert count_stored(app) == 0
    form["csrf_token"] = fresh["csrf_token"]
    assert client.post("/survei/kecamatan-sukamaju", data=form).status_code == 303
    assert count_stored(app) == 1


def test_the_kiosk_plain_form_stores_a_kiosk_response(app, client, place) -> None:
    html = client.get(f"/kiosk/{place.kiosk.token}").get_data(as_text=True)
    form = _form_fields(html) | {k: str(v) for k, v in answers().items()}
    form["layanan_id"] = str(place.ktp.id)
    response = client.post(f"/kiosk/{place.kiosk.token}", data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/kiosk/{place.kiosk.token}/terima-kasih")
    (row,) = _rows(app)
    assert (row.channel, row.kiosk_id) == ("kiosk", place.kiosk.id)


# --- heartbeat -----------------------------------------------------------------------------


def test_the_heartbeat_records_the_queue(app, client, place) -> None:
    token = survey_token(client)
    url = f"/kiosk/{place.kiosk.token}/detak"
    response = post_json(client, url, {"queue_length": 3, "rejected": 1}, token)
    assert response.status_code == 200
    with app.app_context():
        kiosk = database.session().get(Kiosk, place.kiosk.id)
        assert (kiosk.queue_length, kiosk.rejected_count) == (3, 1)
        assert kiosk.last_seen_at is not None
    assert post_json(client, url, {"queue_length": -1}, token).status_code == 422
    assert post_json(client, url, {"queue_length": "3"}, token).status_code == 422
    assert post_json(client, "/kiosk/entah/detak", {"queue_length": 0}, token).status_code == 404


def test_the_heartbeat_of_a_closed_kiosk_tells_it_so(app, client, place) -> None:
    with app.app_context():
        session = database.session()
        session.get(Kiosk, place.kiosk.id).active = False
        session.commit()
    response = post_json(
        client, f"/kiosk/{place.kiosk.token}/detak", {"queue_length": 2}, survey_token(client)
    )
    assert response.status_code == 410
    with app.app_context():
        assert database.session().get(Kiosk, place.kiosk.id).queue_length == 2


# --- rate limits ---------------------------------------------------------------------------


def test_a_script_from_one_address_is_refused_and_told_when_to_retry(app, client, place) -> None:
    app.config["SKM_RATE_LIMIT_ADDRESS"] = "2/minute"
    token = survey_token(client)
    url = "/survei/kecamatan-sukamaju/kirim"
    for _ in range(2):
        assert post_json(client, url, payload(place.ktp.id), token).status_code == 201
    refused = post_json(client, url, payload(place.ktp.id), token)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["message"].startswith("Terlalu banyak kiriman. Coba lagi dalam")
    assert count_stored(app) == 2


def test_a_kiosk_is_limited_by_its_own_token_not_by_the_address(app, client, place) -> None:
    app.config["SKM_RATE_LIMIT_ADDRESS"] = "1/minute"
    token = survey_token(client)
    for _ in range(3):
        body = payload(place.ktp.id)
        response = post_json(client, f"/kiosk/{place.kiosk.token}/kirim", body, token)
        assert response.status_code == 201
    assert count_stored(app) == 3


# --- the same UUID at the same moment ---------------------------------------------------


def test_the_same_uuid_posted_at_once_is_stored_once_and_both_succeed(app, place) -> None:
    body = payload(place.ktp.id)
    clients = [app.test_client() for _ in range(6)]
    tokens = [survey_token(c) for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def deliver(index: int) -> None:
        barrier.wait()
        url = f"/kiosk/{place.kiosk.token}/kirim"
        response = post_json(clients[index], url, body, tokens[index])
        statuses.append(response.status_code)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * (len(clients) - 1) + [201]
    assert count_stored(app) == 1
