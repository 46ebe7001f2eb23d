"""Staff passwords: 12 characters or more, none from the list of common ones, and a
generated, admin-set or reset password replaced at the next sign-in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from skm import database
from skm.models import User
from skm.passwords import TOO_COMMON, TOO_SHORT, common_passwords, password_problem
from tests.support.auth import STAFF_PASSWORD, sign_in, signed_in_client
from tests.support.forms import post_form


@pytest.mark.parametrize(
    "password",
    ["12345678", "kata-sandi", "pendek-11ch"],  # 8, 10 and 11 characters
)
def test_shorter_than_twelve_is_refused(password) -> None:
    assert password_problem(password) == TOO_SHORT


@pytest.mark.parametrize(
    "password",
    [
        "123456789012",  # on the list as it is
        "bismillah123",  # Indonesian word with digits after it
        "Indonesia2026!",
        "sayangku12345",
        "!!qwertyuiop!!",
        "assalamualaikum",
        "000000000000",  # all digits: nothing is left without them
    ],
)
def test_common_passwords_are_refused(password) -> None:
    assert password_problem(password) == TOO_COMMON


def test_simple_or_personal_passwords_are_refused() -> None:
    assert password_problem("abababababab") is not None
    assert "nama pengguna" in password_problem("siti.rahma-2026", "siti.rahma")


@pytest.mark.parametrize(
    "password", [STAFF_PASSWORD, "meja-hujan-kopi-pagi", "Tr4kt0r biru di sawah"]
)
def test_long_uncommon_passwords_are_accepted(password) -> None:
    assert password_problem(password) is None


def test_the_list_ships_with_the_package_and_holds_indonesian_words() -> None:
    words = common_passwords()
    assert len(words) > 5000
    assert {"bismillah", "indonesia", "sayangku", "password", "123456"} <= words


def test_skm_init_refuses_a_common_password(app, runner) -> None:
    result = runner.invoke(args=["init", "--admin-password", "indonesia2026"])
    assert result.exit_code == 2
    assert "terlalu umum" in result.output
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_the_first_admin_changes_the_generated_password_before_any_staff_page(app, runner) -> None:
    result = runner.invoke(args=["init", "--unit-name", "Kecamatan Baru"])
    assert result.exit_code == 0, result.output
    generated = result.output.split("Kata sandi awal: ")[1].split()[0]
    client = app.test_client()
    signed_in = sign_in(client, "admin", generated)
    assert signed_in.headers["Location"] == "/akun/kata-sandi"
    for page in ("/staf/", "/staf/kiosk/", "/admin/pengguna", "/staf/unit/kecamatan-baru/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.headers["Location"] == "/akun/kata-sandi", page
    assert client.get("/akun/kata-sandi").status_code == 200
    # The new password must differ and follow the rule; then the pages open.
    same = post_form(client, "/akun/kata-sandi",
                     {"current": generated, "new": generated, "confirm": generated})  # fmt: skip
    assert "harus berbeda" in same.get_data(as_text=True)
    changed = post_form(
        client,
        "/akun/kata-sandi",
        {"current": generated, "new": "meja-hujan-kopi-pagi", "confirm": "meja-hujan-kopi-pagi"},
    )
    assert changed.status_code == 302
    assert client.get("/staf/unit/kecamatan-baru/").status_code == 200


def test_a_chosen_first_password_need_not_be_changed(app, runner) -> None:
    result = runner.invoke(args=["init", "--admin-password", "meja-hujan-kopi-pagi"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert database.session().scalar(sa.select(User)).must_change_password is False


def test_an_admin_reset_must_be_changed_at_the_next_sign_in(app, unit, make_user) -> None:
    admin = make_user(unit, "admin", "admin.sandi")
    siti = make_user(unit, "operator", "siti")
    client = signed_in_client(app, admin)
    reset = f"/admin/pengguna/{siti.id}/kata-sandi"
    short = post_form(client, reset, {"password": "12345678"}, follow_redirects=True)
    assert "minimal 12 karakter" in short.get_data(as_text=True)
    common = post_form(client, reset, {"password": "bismillah123"}, follow_redirects=True)
    assert "terlalu umum" in common.get_data(as_text=True)
    with app.app_context():
        assert database.session().get(User, siti.id).check_password(STAFF_PASSWORD)
    post_form(client, reset, {"password": "sandi-atur-ulang-7"})
    with app.app_context():
        assert database.session().get(User, siti.id).must_change_password is True
    other = app.test_client()
    response = sign_in(other, "siti", "sandi-atur-ulang-7")
    assert response.headers["Location"] == "/akun/kata-sandi"
