"""POST /api/v1/responses with a stored UUID and other answers: 409, audited, nothing changed."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from skm import database
from skm.models.admin import AuditEntry
from tests.api.conftest import bearer
from tests.support.submissions import INSTRUMENT, answers, api_payload, stored

URL = "/api/v1/responses"
#: Differs from the default answers (3, 4, 2, 3, 4, 3, 4, 2, 3) at questions 1 and 9 only.
OTHER = [4, 4, 2, 3, 4, 3, 4, 2, 1]


def _entries(app) -> list[AuditEntry]:
    with app.app_context():
        query = sa.select(AuditEntry).where(AuditEntry.action == "respons.konflik")
        return list(database.session().scalars(query))


def test_the_same_uuid_with_other_answers_is_409_and_audited(app, client, api_place) -> None:
    body = api_payload()
    headers = bearer(api_place.token)
    assert client.post(URL, json=body, headers=headers).status_code == 201
    assert client.post(URL, json=body, headers=headers).status_code == 200
    response = client.post(URL, json=body | {"answers": answers(OTHER)}, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["error"] == "conflict"
    assert "sudah tersimpan dengan jawaban lain" in response.get_json()["message"]
    with app.app_context():
        (row,) = stored(database.session())
    assert row.answers(9) == [body["answers"][u.key] for u in INSTRUMENT.unsur]
    (entry,) = _entries(app)
    assert entry.username == "token API Aplikasi antrean"
    assert entry.object_id == str(row.id) and entry.unit_id == api_place.unit.id
    # Pertanyaan 1 (persyaratan) 3 -> 4 and 9 (pengaduan) 3 -> 1; nothing else.
    assert entry.changes == {"persyaratan": [3, 4], "pengaduan": [3, 1]}


def test_two_different_surveys_under_one_uuid_at_once(app, api_place) -> None:
    body = api_payload()
    bodies = [body, body | {"answers": answers(OTHER)}]
    clients = [app.test_client() for _ in bodies]
    barrier = threading.Barrier(len(bodies))
    statuses: dict[int, int] = {}

    def deliver(index: int) -> None:
        barrier.wait()
        response = clients[index].post(URL, json=bodies[index], headers=bearer(api_place.token))
        statuses[index] = response.status_code

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [201, 409]
    (winner,) = [index for index, status in statuses.items() if status == 201]
    with app.app_context():
        (row,) = stored(database.session())
    assert row.answers(9) == [bodies[winner]["answers"][u.key] for u in INSTRUMENT.unsur]
    assert len(_entries(app)) == 1
