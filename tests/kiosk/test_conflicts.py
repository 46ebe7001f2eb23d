"""The same survey UUID delivered again with other answers: 409, the first answers stay, audited.

A kiosk retrying sends the very same survey and keeps getting the
idempotent 200; only other answers under a stored UUID are refused.
"""

from __future__ import annotations

import re
import threading

import sqlalchemy as sa

from skm import database
from skm.models.admin import AuditEntry
from tests.support.submissions import INSTRUMENT, answers, payload, post_json, stored, survey_token

#: Differs from the default answers (3, 4, 2, 3, 4, 3, 4, 2, 3) at every question.
OTHER = [1, 2, 1, 1, 2, 1, 2, 1, 1]
MESSAGE = "sudah tersimpan dengan jawaban lain"


def _audit(app) -> list[AuditEntry]:
    with app.app_context():
        query = sa.select(AuditEntry).where(AuditEntry.action == "respons.konflik")
        return list(database.session().scalars(query))


def _stored_answers(app) -> list[list[int | None]]:
    with app.app_context():
        return [row.answers(9) for row in stored(database.session())]


def _in_unsur_order(values: list[int]) -> list[int]:
    given = answers(values)
    return [given[u.key] for u in INSTRUMENT.unsur]


def test_kiosk_same_answers_again_is_200_other_answers_409_and_audited(app, client, place) -> None:
    url = f"/kiosk/{place.kiosk.token}/kirim"
    token = survey_token(client)
    body = payload(place.ktp.id)
    assert post_json(client, url, body, token).status_code == 201
    again = post_json(client, url, body, token)
    assert (again.status_code, again.get_json()["status"]) == (200, "duplicate")

    refused = post_json(client, url, body | {"answers": answers(OTHER)}, token)
    assert refused.status_code == 409
    assert refused.get_json()["error"] == "conflict"
    assert MESSAGE in refused.get_json()["message"]
    assert _stored_answers(app) == [_in_unsur_order([3, 4, 2, 3, 4, 3, 4, 2, 3])]

    (entry,) = _audit(app)
    assert entry.unit_id == place.unit.id and entry.user_id is None
    assert entry.username == "kios Loket 1"
    assert body["uuid"] in entry.summary
    # Every answer differs: persyaratan was 3, sent 1.
    assert entry.changes["persyaratan"] == [3, 1]
    assert set(entry.changes) == {u.key for u in INSTRUMENT.unsur}


def test_a_changed_saran_alone_is_a_conflict_too(app, client, place) -> None:
    url = f"/kiosk/{place.kiosk.token}/kirim"
    token = survey_token(client)
    body = payload(place.ktp.id)
    assert post_json(client, url, body, token).status_code == 201
    refused = post_json(client, url, body | {"saran": "Lain"}, token)
    assert refused.status_code == 409
    (entry,) = _audit(app)
    assert entry.changes == {"saran": ["Antrean pagi panjang.", "Lain"]}


def test_phone_other_answers_are_409(app, client, place) -> None:
    url = "/survei/kecamatan-sukamaju/kirim"
    token = survey_token(client)
    body = payload(place.ktp.id)
    assert post_json(client, url, body, token).status_code == 201
    assert post_json(client, url, body, token).status_code == 200
    refused = post_json(client, url, body | {"answers": answers(OTHER)}, token)
    assert refused.status_code == 409 and MESSAGE in refused.get_json()["message"]
    (entry,) = _audit(app)
    assert entry.username == "survei ponsel/web"


def _form(client, layanan_id: int, values: list[int]) -> dict[str, str]:
    html = client.get("/survei/kecamatan-sukamaju").get_data(as_text=True)
    pattern = r'<input type="hidden" name="(csrf_token|mulai|instrumen)" value="([^"]*)"'
    fields = dict(re.findall(pattern, html))
    fields |= {key: str(value) for key, value in answers(values).items()}
    return fields | {"layanan_id": str(layanan_id)}


def test_plain_form_sent_again_with_other_answers_is_409(app, client, place) -> None:
    form = _form(client, place.kk.id, [3, 4, 2, 3, 4, 3, 4, 2, 3])
    assert client.post("/survei/kecamatan-sukamaju", data=form).status_code == 303
    assert client.post("/survei/kecamatan-sukamaju", data=form).status_code == 303
    changed = form | {key: str(value) for key, value in answers(OTHER).items()}
    refused = client.post("/survei/kecamatan-sukamaju", data=changed)
    assert refused.status_code == 409
    assert MESSAGE in refused.get_data(as_text=True)
    assert _stored_answers(app) == [_in_unsur_order([3, 4, 2, 3, 4, 3, 4, 2, 3])]
    assert len(_audit(app)) == 1


def test_two_different_surveys_under_one_uuid_at_once_store_one(app, place) -> None:
    body = payload(place.ktp.id)
    bodies = [body, body | {"answers": answers(OTHER)}] * 3
    clients = [app.test_client() for _ in bodies]
    tokens = [survey_token(c) for c in clients]
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, int]] = []

    def deliver(index: int) -> None:
        barrier.wait()
        url = f"/kiosk/{place.kiosk.token}/kirim"
        response = post_json(clients[index], url, bodies[index], tokens[index])
        results.append((index, response.status_code))

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (winner,) = [index for index, status in results if status == 201]
    # The copies of the winner are its retries (200); the other answers are refused.
    for index, status in results:
        if index != winner:
            same = bodies[index]["answers"] == bodies[winner]["answers"]
            assert status == (200 if same else 409)
    assert _stored_answers(app) == [_in_unsur_order(list(bodies[winner]["answers"].values()))]
    assert len(_audit(app)) == 3


OTHER_UNIT = "UUID ini sudah dipakai untuk respons unit lain."


def test_a_uuid_of_another_unit_gets_one_answer_and_nothing_of_its_response(
    app, client, place
) -> None:
    token = survey_token(client)
    body = payload(place.foreign.id, saran="Rahasia unit lain.")
    assert post_json(client, "/survei/kecamatan-lain/kirim", body, token).status_code == 201

    # The same UUID from Sukamaju's kiosk (same answers) and phone page (other answers).
    for url, sent in (
        (f"/kiosk/{place.kiosk.token}/kirim", body | {"layanan_id": place.ktp.id}),
        (
            "/survei/kecamatan-sukamaju/kirim",
            body | {"layanan_id": place.kk.id, "answers": answers(OTHER)},
        ),
    ):
        refused = post_json(client, url, sent, token)
        assert (refused.status_code, refused.get_json()) == (
            409,
            {"error": "conflict", "message": OTHER_UNIT},
        )
    # Still one response, Kecamatan Lain's; no audit entry shows Sukamaju its saran.
    with app.app_context():
        rows = stored(database.session())
    assert [(r.unit_id, r.saran) for r in rows] == [(place.other.id, "Rahasia unit lain.")]
    assert _audit(app) == []


def test_an_invalid_delivery_of_another_units_uuid_is_no_duplicate(app, client, place) -> None:
    # A stored survey is acknowledged again even if it would fail the checks
    # now; that must not hold for a UUID stored by another unit.
    token = survey_token(client)
    body = payload(place.foreign.id)
    assert post_json(client, "/survei/kecamatan-lain/kirim", body, token).status_code == 201
    sent = body | {"layanan_id": place.foreign.id}  # Kecamatan Lain's layanan: invalid here
    refused = post_json(client, "/survei/kecamatan-sukamaju/kirim", sent, token)
    assert refused.status_code == 409
    assert refused.get_json()["message"] == OTHER_UNIT
