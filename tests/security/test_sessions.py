"""Staff sessions end: on sign-out, password change, reset, deactivation and time limits."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from skm import database
from skm.models import User
from skm.sessions import SEEN_KEY, STARTED_KEY
from tests.support.auth import STAFF_PASSWORD, sign_in, signed_in_client
from tests.support.forms import post_form


def dashboard(client, unit) -> int:
    return client.get(f"/staf/unit/{unit.slug}/").status_code


def cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app: Flask, value: str):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_a_cookie_copied_before_sign_out_no_longer_works(app, client, auth, unit, make_user):
    make_user(unit, "operator", "siti")
    assert auth.login("siti").status_code == 302
    assert dashboard(client, unit) == 200
    copied = cookie(client)
    second = app.test_client()  # the same account in another browser
    sign_in(second, "siti")
    assert dashboard(second, unit) == 200

    auth.logout()

    thief = with_cookie(app, copied)
    assert dashboard(thief, unit) == 302
    assert thief.get(f"/staf/unit/{unit.slug}/").headers["Location"].startswith("/masuk")
    assert dashboard(second, unit) == 302  # signing out ends the other sessions too


def test_changing_the_password_ends_the_other_sessions_only(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, "siti")
    sign_in(elsewhere, "siti")
    response = post_form(
        here,
        "/akun/kata-sandi",
        {"current": STAFF_PASSWORD, "new": "meja-hujan-kopi-pagi",
         "confirm": "meja-hujan-kopi-pagi"},
    )  # fmt: skip
    assert response.status_code == 302
    assert dashboard(here, unit) == 200
    assert dashboard(elsewhere, unit) == 302


def test_an_admin_reset_or_deactivation_ends_the_users_sessions(app, unit, make_user) -> None:
    admin = make_user(unit, "admin", "admin.sesi")
    siti = make_user(unit, "operator", "siti")
    budi = make_user(unit, "operator", "budi")
    sessions = {}
    for name in ("siti", "budi"):
        sessions[name] = app.test_client()
        sign_in(sessions[name], name)
        assert dashboard(sessions[name], unit) == 200
    admin_client = signed_in_client(app, admin)
    reset = post_form(
        admin_client, f"/admin/pengguna/{siti.id}/kata-sandi", {"password": "sandi-atur-ulang-7"}
    )
    assert reset.status_code == 302
    assert dashboard(sessions["siti"], unit) == 302
    assert dashboard(sessions["budi"], unit) == 200
    deactivate = post_form(
        admin_client,
        f"/admin/pengguna/{budi.id}",
        {"full_name": "Budi", "role": "operator", "unit": str(unit.id)},  # "active" unticked
    )
    assert deactivate.status_code == 302
    with app.app_context():
        assert database.session().get(User, budi.id).active is False
    assert dashboard(sessions["budi"], unit) == 302


def _age_session(client, key: str, seconds: float) -> None:
    with client.session_transaction() as flask_session:
        flask_session[key] = flask_session[key] - seconds


@pytest.mark.parametrize(
    ("key", "seconds", "still_in"),
    [
        (SEEN_KEY, 29 * 60, True),  # 29 minutes idle: still signed in
        (SEEN_KEY, 31 * 60, False),  # past the 30-minute idle limit
        (STARTED_KEY, 11.5 * 3600, True),  # busy, signed in 11½ hours ago
        (STARTED_KEY, 12.5 * 3600, False),  # past the 12-hour limit, however busy
    ],
)
def test_idle_and_absolute_limits(app, unit, make_user, key, seconds, still_in) -> None:
    client = signed_in_client(app, make_user(unit, "operator"))
    _age_session(client, key, seconds)
    assert dashboard(client, unit) == (200 if still_in else 302)


def test_the_limits_are_settings(app, unit, make_user) -> None:
    app.config["SKM_SESSION_IDLE_MINUTES"] = 5
    client = signed_in_client(app, make_user(unit, "operator"))
    _age_session(client, SEEN_KEY, 6 * 60)
    assert dashboard(client, unit) == 302


def test_activity_keeps_a_session_alive(app, unit, make_user) -> None:
    client = signed_in_client(app, make_user(unit, "operator"))
    _age_session(client, SEEN_KEY, 20 * 60)
    assert dashboard(client, unit) == 200  # the visit moves "last seen" to now
    with client.session_transaction() as flask_session:
        assert time.time() - flask_session[SEEN_KEY] < 60
    _age_session(client, SEEN_KEY, 20 * 60)
    assert dashboard(client, unit) == 200


def test_a_cookie_without_the_session_fields_signs_no_one_in(app, unit, make_user) -> None:
    user = make_user(unit, "admin")
    client = app.test_client()
    with client.session_transaction() as flask_session:  # a forged or pre-upgrade cookie
        flask_session["_user_id"] = str(user.id)
        flask_session["_fresh"] = True
    assert dashboard(client, unit) == 302


def test_staff_pages_are_never_cached(app, unit, make_user) -> None:
    """The back button after signing out must not show a staff page (shared office PC)."""
    client = signed_in_client(app, make_user(unit, "operator"))
    for path in (f"/staf/unit/{unit.slug}/", f"/staf/unit/{unit.slug}/saran", "/staf/kiosk/"):
        assert "no-store" in client.get(path).headers["Cache-Control"], path
