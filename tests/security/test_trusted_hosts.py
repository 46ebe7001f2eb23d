"""QR codes and kiosk addresses never carry a Host the browser made up.

Without ``SKM_PUBLIC_URL`` the address of the page is printed only if its
host is an IP address, ``localhost``, or one of ``SKM_TRUSTED_HOSTS``; with
``SKM_TRUSTED_HOSTS`` Flask refuses every other Host outright.
"""

from __future__ import annotations

import re

import pytest

from skm import create_app, database
from skm.kiosk.qr import trusted_request_host
from tests.conftest import newest_schema
from tests.kiosk.conftest import place  # noqa: F401  (fixture)
from tests.support.auth import signed_in_client
from tests.support.forms import csrf_from

POSTER = "/staf/kiosk/qr/kecamatan-sukamaju"


def admin_at(app, user, host: str):
    """A client signed in as ``user`` at http://``host``."""
    return signed_in_client(app, user, base_url=f"http://{host}")


@pytest.fixture(autouse=True)
def no_public_url(monkeypatch) -> None:
    monkeypatch.delenv("SKM_PUBLIC_URL", raising=False)


def test_a_made_up_host_gets_no_qr_code(app, place) -> None:  # noqa: F811
    client = admin_at(app, place.admin, "penipu.example")
    page = client.get(POSTER, base_url="http://penipu.example").get_data(as_text=True)
    assert "penipu.example" not in page
    assert 'class="qr"' not in page
    assert "tidak dikenal SKM, jadi QR tidak dibuat" in page


@pytest.mark.parametrize("host", ["192.168.1.10:5000", "127.0.0.1:5000", "localhost:5000"])
def test_the_lan_address_the_server_is_reached_at_is_printed(app, place, host) -> None:  # noqa: F811
    client = admin_at(app, place.admin, host)
    page = client.get(POSTER, base_url=f"http://{host}").get_data(as_text=True)
    assert f"http://{host}/survei/kecamatan-sukamaju" in page
    assert 'class="qr"' in page


@pytest.mark.parametrize(
    ("host", "trusted"),
    [("[fe80::1]:5000", True), ("10.1.2.3", True), ("skm.local", False), ("127.0.0.1.evil", False)],
)
def test_which_hosts_are_printed_without_a_list(app, host, trusted) -> None:
    with app.test_request_context(base_url=f"http://{host}"):
        assert trusted_request_host() is trusted


def test_a_new_kiosk_under_a_made_up_host_shows_its_path_but_no_qr(app, place) -> None:  # noqa: F811
    client = admin_at(app, place.admin, "penipu.example")
    page = client.get("/staf/kiosk/", base_url="http://penipu.example").get_data(as_text=True)
    token = csrf_from(page)
    response = client.post(
        "/staf/kiosk/buka",
        data={"csrf_token": token, "name": "Loket 9", "unit_id": str(place.unit.id),
              "layanan_id": ""},
        base_url="http://penipu.example",
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    assert "penipu.example" not in html and 'class="qr"' not in html
    assert re.search(r"<code>/kiosk/[A-Za-z0-9_-]{43}</code>", html)


def test_trusted_hosts_refuse_every_other_host(database_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SKM_TRUSTED_HOSTS", "skm.kantor.go.id, 192.168.1.10")
    app = create_app(
        {"TESTING": True, "SKM_DATABASE_URL": database_url, "SECRET_KEY": "test",
         "INSTANCE_PATH": tmp_path / "instance"}
    )  # fmt: skip
    try:
        with app.app_context():
            newest_schema(database.engine())
        client = app.test_client()
        assert client.get("/masuk", headers={"Host": "penipu.example"}).status_code == 400
        assert client.get("/masuk", headers={"Host": "skm.kantor.go.id"}).status_code == 200
        assert client.get("/", headers={"Host": "192.168.1.10:5000"}).status_code == 200
    finally:
        app.extensions["skm.engine"].dispose()
