"""The door checks (skm.limits): body sizes, ids beyond their column, NUL characters."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from tests.api.conftest import api_place, bearer  # noqa: F401 (fixture)
from tests.fuzz.helpers import dump
from tests.kiosk.conftest import place  # noqa: F401 (fixture)
from tests.support.auth import login

TWENTY_MB = 20 * 1024 * 1024


class CountingBody(io.RawIOBase):
    """A request body of ``size`` bytes that counts what the application reads."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.read_bytes)
        buffer[:count] = b"a" * count
        self.read_bytes += count
        return count


def _post_big(app: Flask, path: str, content_type: str) -> tuple[int, str, int]:
    body = CountingBody(TWENTY_MB)
    environ = EnvironBuilder(path=path, method="POST", content_type=content_type).get_environ()
    environ.update({"CONTENT_LENGTH": str(TWENTY_MB), "wsgi.input": body})
    with app.request_context(environ):
        response = app.full_dispatch_request()
    return response.status_code, response.get_data(as_text=True), body.read_bytes


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/masuk", "application/x-www-form-urlencoded"),
        ("/survei/kecamatan-sukamaju", "multipart/form-data; boundary=x"),
        ("/survei/kecamatan-sukamaju/kirim", "application/json"),
        ("/api/v1/responses", "application/json"),
    ],
)
def test_a_twenty_megabyte_post_is_refused_unread(app, place, path, content_type):  # noqa: F811
    before = dump(app)
    status, text, read = _post_big(app, path, content_type)
    assert status == 413
    assert read == 0, f"{read} bytes were read"
    assert "terlalu besar" in text
    if content_type == "application/json":
        assert '"error":"too-large"' in text.replace(" ", "")
    assert dump(app) == before


def test_json_bodies_have_a_smaller_limit_than_uploads(client, place):  # noqa: F811
    body = b'{"saran": "' + b"x" * (40 * 1024) + b'"}'
    answer = client.post(
        f"/kiosk/{place.kiosk.token}/kirim", data=body, content_type="application/json"
    )
    assert answer.status_code == 413
    assert answer.get_json()["message"].startswith(
        "Data yang dikirim terlalu besar (paling banyak 32 KB)"
    )


@pytest.mark.parametrize("big", [2**31, 2**63, 2**64, 10**30])
def test_an_id_no_column_can_hold_is_not_found(client, place, big):  # noqa: F811
    login(client, place.admin)
    for path in (f"/admin/unit/{big}", f"/admin/pengguna/{big}", f"/staf/kiosk/{big}"):
        assert client.get(path).status_code == 404, path
    # Response ids are BIGINT: within 64 bits they reach the view (and find nothing).
    expected = 404 if big > 2**63 - 1 else 400
    assert client.post(f"/staf/saran/{big}").status_code in (expected, 404)


@pytest.mark.parametrize("big", ["2147483648", "99999999999999999999999", "²"])
def test_an_id_in_a_query_is_refused_in_indonesian_or_ignored(client, api_place, big):  # noqa: F811
    answer = client.get(
        "/api/v1/ikm",
        query_string={"unit": api_place.unit.slug, "periode": "2025-T1", "layanan": big},
        headers=bearer(api_place.token),
    )
    assert answer.status_code == 422
    assert "layanan" in answer.get_json()["errors"]
    # A QR code's layanan that no column can hold is no layanan: the plain survey.
    assert client.get(f"/survei/{api_place.unit.slug}?layanan={big}").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/staf/saran?q=a%00b", "/admin/log?pengguna=%00", "/staf/?periode=2025%00"],
)
def test_nul_in_a_query_is_refused_with_400(client, place, path):  # noqa: F811
    login(client, place.admin)
    answer = client.get(path)
    assert answer.status_code == 400
    assert "karakter NUL" in answer.get_data(as_text=True)


def test_nul_in_sign_in_and_survey_saran_is_refused(app, client, place):  # noqa: F811
    app.config["WTF_CSRF_ENABLED"] = False
    before = dump(app)
    assert client.post("/masuk", data={"username": "ad\x00min", "password": "x"}).status_code == 400
    answer = client.post(
        f"/survei/{place.unit.slug}/kirim", json={"saran": "bagus\x00", "answers": {}}
    )
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "nul"
    assert dump(app) == before
