"""POST /api/v1/responses: token auth, the same validation and idempotency as the survey."""

from __future__ import annotations

import pytest

from skm import database
from skm.responses import SARAN_MAX_LENGTH
from tests.api.conftest import bearer
from tests.support.submissions import (
    INSTRUMENT,
    answers,
    api_payload,
    count_stored,
    stored,
)

URL = "/api/v1/responses"


def test_a_response_is_created_then_recognised_as_duplicate(app, client, api_place) -> None:
    body = api_payload(layanan_id=api_place.ktp.id, channel="paper")
    first = client.post(URL, json=body, headers=bearer(api_place.token))
    again = client.post(URL, json=body, headers=bearer(api_place.token))
    assert first.status_code == 201 and first.get_json()["status"] == "created"
    assert again.status_code == 200 and again.get_json()["status"] == "duplicate"
    assert first.get_json()["id"] == again.get_json()["id"]
    with app.app_context():
        (row,) = stored(database.session())
    assert (row.unit_id, row.layanan_id, row.channel) == (
        api_place.unit.id, api_place.ktp.id, "paper",
    )  # fmt: skip
    assert row.answers(9) == [body["answers"][u.key] for u in INSTRUMENT.unsur]


def test_the_channel_defaults_to_import_and_layanan_may_be_left_out(app, client, api_place) -> None:
    response = client.post(URL, json=api_payload(), headers=bearer(api_place.token))
    assert response.status_code == 201
    with app.app_context():
        (row,) = stored(database.session())
    assert (row.channel, row.layanan_id) == ("import", None)


def test_a_token_may_post_for_a_sub_unit(app, client, api_place) -> None:
    body = api_payload("kelurahan-mekarsari", layanan_id=api_place.domisili.id)
    assert client.post(URL, json=body, headers=bearer(api_place.token)).status_code == 201


def test_needs_no_csrf_token(app, client, api_place) -> None:
    # Token auth: nothing a browser sends by itself, so CSRF does not apply.
    assert app.config.get("WTF_CSRF_ENABLED", True)
    assert client.post(URL, json=api_payload(), headers=bearer(api_place.token)).status_code == 201


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer skm_salah"}, {"Authorization": "Basic dXNlcjpwdw=="}],
    ids=["none", "wrong", "basic"],
)
def test_without_a_valid_token_nothing_is_stored(app, client, api_place, headers) -> None:
    response = client.post(URL, json=api_payload(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Token API tidak ada, salah, atau sudah dicabut" in response.get_json()["message"]
    assert count_stored(app) == 0


def test_a_revoked_token_is_refused(app, client, api_place) -> None:
    revoked = client.post(URL, json=api_payload(), headers=bearer(api_place.revoked))
    assert revoked.status_code == 401
    assert count_stored(app) == 0


def _missing():
    given = answers()
    del given["biaya"]
    return given


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"answers": _missing()}, "biaya", "Pertanyaan 4 belum dijawab."),
        ({"answers": {**answers(), "produk": 0}}, "produk", "bilangan bulat 1 sampai 4"),
        ({"answers": {**answers(), "kebersihan": 3}}, "kebersihan", "tidak ada dalam kuesioner"),
        ({"layanan_id": 999_999}, "layanan", "Jenis layanan tidak dikenal untuk unit ini."),
        ({"unit": "kecamatan-entah"}, "unit", "dalam cakupan token ini"),
        ({"unit": "kecamatan-lain"}, "unit", "dalam cakupan token ini"),
        ({"unit": None}, "unit", "wajib diisi"),
        ({"saran": "x" * (SARAN_MAX_LENGTH + 1)}, "saran", "paling banyak"),
        ({"channel": "sms"}, "channel", "kiosk, web, paper, import"),
        ({"submitted_at": "23/11/2026"}, "submitted_at", "ISO 8601"),
        ({"uuid": "x"}, "uuid", "tidak sah"),
    ],
)
def test_invalid_fields_are_named_and_nothing_is_stored(
    app, client, api_place, changes, field, message
) -> None:
    response = client.post(URL, json=api_payload(**changes), headers=bearer(api_place.token))
    assert response.status_code == 422
    data = response.get_json()
    assert data["error"] == "invalid" and data["message"] == "Data tidak dapat diproses."
    assert message in data["errors"][field]
    assert count_stored(app) == 0


def test_a_layanan_of_a_unit_outside_the_body_unit_is_refused(app, client, api_place) -> None:
    body = api_payload("kecamatan-sukamaju", layanan_id=api_place.domisili.id)
    response = client.post(URL, json=body, headers=bearer(api_place.token))
    assert response.status_code == 422
    assert count_stored(app) == 0


def test_a_kelurahan_token_cannot_post_for_its_kecamatan(app, client, api_place) -> None:
    response = client.post(URL, json=api_payload(), headers=bearer(api_place.kelurahan_token))
    assert response.status_code == 422
    assert "unit" in response.get_json()["errors"]
    assert count_stored(app) == 0


@pytest.mark.parametrize("body", [b"{", b"not json", b'{"uuid": }'])
def test_malformed_json_is_400(app, client, api_place, body) -> None:
    response = client.post(
        URL, data=body, content_type="application/json", headers=bearer(api_place.token)
    )
    assert response.status_code == 400
    assert response.get_json()["message"] == "Badan permintaan bukan JSON yang sah."
    assert count_stored(app) == 0


def test_json_that_is_not_an_object_is_422(app, client, api_place) -> None:
    response = client.post(URL, json=[api_payload()], headers=bearer(api_place.token))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"data": "Data harus berupa objek JSON."}


def test_a_uuid_already_used_for_another_unit_is_a_conflict(app, client, api_place) -> None:
    body = api_payload("kelurahan-mekarsari")
    assert client.post(URL, json=body, headers=bearer(api_place.token)).status_code == 201
    body["unit"] = "kecamatan-sukamaju"
    response = client.post(URL, json=body, headers=bearer(api_place.token))
    assert response.status_code == 409
    assert response.get_json()["message"] == "UUID ini sudah dipakai untuk respons unit lain."
    assert count_stored(app) == 1


def test_too_many_requests_are_refused_with_retry_after(app, client, api_place) -> None:
    app.config["SKM_RATE_LIMIT_API"] = "2/minute"
    for _ in range(2):
        accepted = client.post(URL, json=api_payload(), headers=bearer(api_place.token))
        assert accepted.status_code == 201
    refused = client.post(URL, json=api_payload(), headers=bearer(api_place.token))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert count_stored(app) == 2
