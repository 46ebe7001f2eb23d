"""Sign-in: local redirects only, no hint about which usernames exist, limits that
X-Forwarded-For does not get around, and a lockout that simultaneous guesses cannot race."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from skm import create_app, database
from skm.auth import routes as auth_routes
from skm.models import User
from tests.support.auth import STAFF_PASSWORD, sign_in
from tests.support.forms import csrf_from


@pytest.mark.parametrize(
    "evil",
    [
        "//contoh.example/x",
        "https://contoh.example/",
        "/\\contoh.example",
        "\\\\contoh.example",
        "/%5Ccontoh.example",  # a backslash, encoded
        "/%09/contoh.example",  # a tab: browsers drop it and read //contoh.example
        "/%0A/contoh.example",
        "%2F%2Fcontoh.example",
        " //contoh.example",
        "http:/contoh.example",
        "/masuk@contoh.example:80//",
    ],
)
def test_next_takes_only_local_paths(app, unit, make_user, evil) -> None:
    make_user(unit, "operator", "siti")
    response = sign_in(app.test_client(), "siti", STAFF_PASSWORD, path=f"/masuk?next={evil}")
    location = response.headers["Location"]
    assert location in ("/staf/", "/masuk@contoh.example:80//")
    assert location.startswith("/") and not location.startswith("//")


def page_text(response) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))


def test_an_unknown_username_costs_a_password_check_too(app, unit, make_user, monkeypatch):
    make_user(unit, "operator", "siti")
    checked = []
    real = auth_routes.check_password_hash
    monkeypatch.setattr(
        auth_routes, "check_password_hash", lambda *args: checked.append(1) or real(*args)
    )
    real_user_check = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda self, pw: checked.append(2) or real_user_check(self, pw)
    )
    unknown = sign_in(app.test_client(), "tidak-ada", STAFF_PASSWORD)
    wrong = sign_in(app.test_client(), "siti", "salah-sekali-ini")
    assert checked == [1, 2]  # a (dummy) hash is checked for the unknown name as well
    assert unknown.status_code == wrong.status_code == 401
    # The same page, but for the name typed and the form token.
    assert page_text(unknown).replace("tidak-ada", "siti") == page_text(wrong)


def test_x_forwarded_for_does_not_get_around_the_address_limit(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    client = app.test_client()
    for attempt in range(20):
        response = sign_in(
            client, f"tebak{attempt}", "x", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}"
        )
        assert response.status_code == 401
    locked = sign_in(client, "siti", STAFF_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert locked.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(database_url, tmp_path):
    app = create_app(
        {"TESTING": True, "SKM_DATABASE_URL": database_url, "SECRET_KEY": "test",
         "INSTANCE_PATH": tmp_path / "instance", "SKM_PROXY_HOPS": 1}
    )  # fmt: skip
    from tests.conftest import newest_schema

    with app.app_context():
        newest_schema(database.engine())
    try:
        client = app.test_client()
        for attempt in range(20):
            # The proxy is 10.0.0.1; what a client put before its entry is ignored.
            forwarded = f"198.51.100.9, 203.0.113.{attempt % 2}"
            sign_in(client, f"tebak{attempt}", "x", REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=forwarded)  # fmt: skip
        # 10 failures each from 203.0.113.0 and .1: neither is locked yet...
        response = sign_in(client, "x", "x", REMOTE_ADDR="10.0.0.1",
                           HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.5")  # fmt: skip
        assert response.status_code == 401
        # ...and a client cannot pick an address the proxy did not see.
        for attempt in range(10):
            sign_in(client, f"lagi{attempt}", "x", REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="203.0.113.5, 203.0.113.0")  # fmt: skip
        locked = sign_in(client, "z", "x", REMOTE_ADDR="10.0.0.1",
                         HTTP_X_FORWARDED_FOR="203.0.113.0")  # fmt: skip
        assert locked.status_code == 429
    finally:
        app.extensions["skm.engine"].dispose()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_simultaneous_guesses_get_at_most_five_password_checks(
    app, unit, make_user, live_server, monkeypatch
) -> None:
    """16 wrong passwords at once for one username: the lockout holds at five."""
    make_user(unit, "operator", "siti")
    checks = []
    lock = threading.Lock()
    real = User.check_password

    def counted(self, password):
        with lock:
            checks.append(password)
        return real(self, password)

    monkeypatch.setattr(User, "check_password", counted)
    sessions = []
    for _ in range(16):
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        page = browser.open(f"{live_server.url}/masuk", timeout=30).read().decode()
        token = csrf_from(page)
        sessions.append((browser, token))
    start = threading.Barrier(16)
    statuses = []

    def guess(number: int) -> None:
        browser, token = sessions[number]
        start.wait(timeout=30)
        form = {"csrf_token": token, "username": "siti", "password": f"tebakan-{number}"}
        try:
            status = browser.open(
                f"{live_server.url}/masuk", urllib.parse.urlencode(form).encode(), timeout=60
            ).status
        except urllib.error.HTTPError as error:
            status = error.code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == 16
    assert len(checks) <= 5
    assert statuses.count(401) == len(checks)
    assert statuses.count(429) == 16 - len(checks)
    assert len(checks) >= 1  # the limit was not simply set to nothing
