"""Signing in and out; password guessing is slowed down per username and per address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from skm import create_app, database
from skm.models import User
from skm.models.auth import LoginAttempt
from tests.support.auth import STAFF_PASSWORD, sign_in, signed_in_client
from tests.support.factories import saved_unit
from tests.support.forms import post_form

TOO_MANY = "Terlalu banyak percobaan masuk yang gagal"


@pytest.fixture
def unit(app: Flask):
    return saved_unit(app, "Kecamatan Masuk")


def test_sign_in_and_out(app, client, auth, unit, make_user) -> None:
    user = make_user(unit, "operator", "siti")
    assert client.get("/staf/").headers["Location"].startswith("/masuk?next=")
    response = auth.login("Siti ", STAFF_PASSWORD)  # case and spaces forgiven
    assert response.status_code == 302 and response.headers["Location"] == "/staf/"
    assert client.get("/staf/").status_code == 302  # now to the unit's dashboard
    assert client.get(f"/staf/unit/{unit.slug}/").status_code == 200
    # Signing out is a POST with a token: a link cannot sign anyone out.
    assert client.get("/keluar").status_code == 405
    response = auth.logout()
    assert response.headers["Location"] == "/masuk"
    assert client.get(f"/staf/unit/{unit.slug}/").status_code == 302
    with app.app_context():
        attempts = database.session().scalars(sa.select(LoginAttempt)).all()
        assert [(a.username, a.succeeded) for a in attempts] == [(user.username, True)]


def test_wrong_password_and_unknown_user_get_the_same_answer(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    client = app.test_client()
    wrong = sign_in(client, "siti", "salah-sekali")
    unknown = sign_in(client, "tidak-ada", STAFF_PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti", active=False)
    response = sign_in(app.test_client(), "siti", STAFF_PASSWORD)
    assert response.status_code == 403
    assert "Akun ini dinonaktifkan" in response.get_data(as_text=True)


def test_next_goes_back_only_within_the_site(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    target = f"/staf/unit/{unit.slug}/saran"
    response = sign_in(app.test_client(), "siti", STAFF_PASSWORD, path=f"/masuk?next={target}")
    assert response.headers["Location"] == target
    for evil in (
        "https://contoh.example/",
        "//contoh.example/x",
        "/\\contoh.example",
        "javascript:x",
    ):
        response = sign_in(app.test_client(), "siti", STAFF_PASSWORD, path=f"/masuk?next={evil}")
        assert response.headers["Location"] == "/staf/"


def test_username_is_locked_after_five_failures(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    client = app.test_client()
    for attempt in range(5):
        # From different addresses: the per-username limit must still hold.
        assert sign_in(client, "siti", "tebakan", f"192.0.2.{attempt}").status_code == 401
    locked = sign_in(client, "siti", STAFF_PASSWORD, "192.0.2.99")
    assert locked.status_code == 429
    html = locked.get_data(as_text=True)
    assert TOO_MANY in html and "coba lagi dalam 15 menit" in html
    # Others are not locked out by it.
    make_user(unit, "operator", "budi")
    assert sign_in(app.test_client(), "budi", STAFF_PASSWORD, "192.0.2.50").status_code == 302


def test_lock_ends_when_the_failures_are_old(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    client = app.test_client()
    for _ in range(5):
        sign_in(client, "siti", "tebakan")
    assert sign_in(client, "siti", STAFF_PASSWORD).status_code == 429
    with app.app_context():
        session = database.session()
        for attempt in session.scalars(sa.select(LoginAttempt)):
            attempt.at = attempt.at - timedelta(minutes=16)
        session.commit()
    assert sign_in(client, "siti", STAFF_PASSWORD).status_code == 302


def test_success_resets_the_username_count(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    for _ in range(4):
        sign_in(app.test_client(), "siti", "tebakan")
    assert sign_in(app.test_client(), "siti", STAFF_PASSWORD).status_code == 302
    for _ in range(4):
        sign_in(app.test_client(), "siti", "tebakan")
    assert sign_in(app.test_client(), "siti", STAFF_PASSWORD).status_code == 302


def test_address_is_locked_after_twenty_failures(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    client = app.test_client()
    for attempt in range(20):
        assert sign_in(client, f"tebak{attempt}", "x", "198.51.100.7").status_code == 401
    assert sign_in(client, "siti", STAFF_PASSWORD, "198.51.100.7").status_code == 429
    assert sign_in(client, "siti", STAFF_PASSWORD, "198.51.100.8").status_code == 302


def test_lockout_survives_a_restart(app, unit, make_user, tmp_path) -> None:
    make_user(unit, "operator", "siti")
    for _ in range(5):
        sign_in(app.test_client(), "siti", "tebakan")
    again = create_app(
        {
            "TESTING": True,
            "SKM_DATABASE_URL": app.config["SKM_DATABASE_URL"],
            "INSTANCE_PATH": tmp_path / "again",
            "SECRET_KEY": "test",
        }
    )
    assert sign_in(again.test_client(), "siti", STAFF_PASSWORD).status_code == 429
    again.extensions["skm.engine"].dispose()


def test_form_without_token_is_refused_in_indonesian(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    response = app.test_client().post("/masuk", data={"username": "siti", "password": "x"})
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_secure_when_asked(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SKM_SECURE_COOKIES", "1")
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path,
            "SECRET_KEY": "x",
            "SKM_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    app.extensions["skm.engine"].dispose()


def test_change_own_password(app, unit, make_user) -> None:
    user = make_user(unit, "pimpinan", "lurah")  # even a pimpinan may change their own
    client = signed_in_client(app, user)
    response = post_form(
        client,
        "/akun/kata-sandi",
        {"current": "salah", "new": "baru-kopi-pagi", "confirm": "baru-kopi-pagi"},
    )
    assert "Kata sandi sekarang salah." in response.get_data(as_text=True)
    response = post_form(
        client,
        "/akun/kata-sandi",
        {"current": STAFF_PASSWORD, "new": "pendek", "confirm": "pendek"},
    )
    assert "minimal 12 karakter" in response.get_data(as_text=True)  # was 8 before issue 16
    response = post_form(
        client,
        "/akun/kata-sandi",
        {"current": STAFF_PASSWORD, "new": "baru-kopi-pagi", "confirm": "baru-kopi-pagi"},
    )
    assert response.status_code == 302
    with app.app_context():
        stored = database.session().get(User, user.id)
        assert stored.check_password("baru-kopi-pagi") and not stored.check_password(STAFF_PASSWORD)
        assert stored.password_hash.startswith("scrypt:")  # hashed the modern way


def test_old_attempts_are_cleared(app, unit, make_user) -> None:
    make_user(unit, "operator", "siti")
    with app.app_context():
        session = database.session()
        session.add(
            LoginAttempt(
                at=datetime.now(UTC) - timedelta(days=40),
                username="x",
                address="192.0.2.1",
                succeeded=False,
            )
        )
        session.commit()
    sign_in(app.test_client(), "siti", STAFF_PASSWORD)
    with app.app_context():
        usernames = database.session().scalars(sa.select(LoginAttempt.username)).all()
        assert usernames == ["siti"]
