"""Admin pages: units, layanan, users and API tokens, each change in the audit log."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from skm import database
from skm.models import Layanan, Unit, User
from skm.models.admin import AuditEntry
from skm.models.api import ApiToken
from skm.tokens import authenticate
from skm.units import create_unit
from tests.support.auth import signed_in_client
from tests.support.forms import post_form


@pytest.fixture
def setup(app: Flask, make_user):
    with app.app_context():
        session = database.session()
        k = create_unit(session, "Kecamatan Admin", "kecamatan")
        other = create_unit(session, "Kecamatan Lain", "kecamatan")
        session.commit()
        for unit in (k, other):
            session.expunge(unit)
    admin = make_user(k, "admin", "admin.k")
    client = signed_in_client(app, admin)
    return {
        "client": client,
        "k": k,
        "other": other,
        "admin": admin,
        "other_admin": make_user(other, "admin", "admin.lain"),
    }


def audit(app) -> list[tuple[str, str, dict | None]]:
    with app.app_context():
        return [
            (e.action, e.username, e.changes)
            for e in database.session().scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_only_admins_open_admin_pages(app, setup, make_user) -> None:
    for role in ("operator", "pimpinan"):
        client = signed_in_client(app, make_user(setup["k"], role))
        assert client.get("/admin/unit").status_code == 403
        assert client.get("/admin/pengguna").status_code == 403
    assert setup["client"].get("/admin/unit").status_code == 200


def test_create_unit_and_its_layanan(app, setup) -> None:
    client, k = setup["client"], setup["k"]
    response = post_form(
        client, "/admin/unit/baru", {"parent": k.id, "name": "Kelurahan Baru", "kind": "kelurahan"}
    )
    assert response.status_code == 302
    with app.app_context():
        unit = database.session().scalar(sa.select(Unit).where(Unit.name == "Kelurahan Baru"))
        assert unit.parent_id == k.id and unit.path == f"{k.path}{unit.id}/"
        unit_id = unit.id
    post_form(client, f"/admin/unit/{unit_id}/layanan", {"name": "Surat Domisili"})
    duplicate = post_form(
        client, f"/admin/unit/{unit_id}/layanan", {"name": "surat domisili"}, follow_redirects=True
    )
    assert "sudah ada" in duplicate.get_data(as_text=True)
    with app.app_context():
        layanan = database.session().scalar(sa.select(Layanan).where(Layanan.unit_id == unit_id))
        layanan_id = layanan.id
    post_form(client, f"/admin/layanan/{layanan_id}", {"name": "Surat Keterangan Domisili"})
    with app.app_context():
        layanan = database.session().get(Layanan, layanan_id)
        assert (layanan.name, layanan.active) == ("Surat Keterangan Domisili", False)
    assert [a for a, _, _ in audit(app)] == ["unit.create", "layanan.create", "layanan.update"]
    assert audit(app)[2][2] == {
        "name": ["Surat Domisili", "Surat Keterangan Domisili"],
        "active": [True, False],
    }


def test_units_outside_the_subtree_are_not_offered_nor_accepted(app, setup) -> None:
    client, other = setup["client"], setup["other"]
    html = client.get("/admin/unit/baru").get_data(as_text=True)
    assert "Kecamatan Lain" not in html
    response = post_form(
        client, "/admin/unit/baru", {"parent": other.id, "name": "Sisipan", "kind": "kelurahan"}
    )
    assert response.status_code == 200 and "Pilihan tidak dikenal." in response.get_data(
        as_text=True
    )
    assert client.get(f"/admin/unit/{other.id}").status_code == 404
    with app.app_context():
        assert database.session().scalar(sa.select(Unit).where(Unit.name == "Sisipan")) is None


def test_create_and_edit_users(app, setup) -> None:
    client, k = setup["client"], setup["k"]
    bad = post_form(
        client,
        "/admin/pengguna/baru",
        {
            "username": "Siti Rahma",
            "full_name": "Siti",
            "role": "operator",
            "unit": k.id,
            "password": "rahasia-123-kopi",
            "confirm": "rahasia-123-kopi",
        },
    )
    assert "huruf kecil, angka" in bad.get_data(as_text=True)
    response = post_form(
        client,
        "/admin/pengguna/baru",
        {
            "username": "siti.rahma",
            "full_name": "Siti",
            "role": "operator",
            "unit": k.id,
            "password": "rahasia-123-kopi",
            "confirm": "rahasia-123-kopi",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = database.session().scalar(sa.select(User).where(User.username == "siti.rahma"))
        assert user.role == "operator" and user.check_password("rahasia-123-kopi")
        user_id = user.id
    post_form(
        client,
        f"/admin/pengguna/{user_id}",
        {"full_name": "Siti R.", "role": "pimpinan", "unit": k.id, "active": "y"},
    )
    post_form(client, f"/admin/pengguna/{user_id}/kata-sandi", {"password": "sandi-baru-99-kopi"})
    with app.app_context():
        user = database.session().get(User, user_id)
        assert (user.full_name, user.role) == ("Siti R.", "pimpinan")
        assert user.check_password("sandi-baru-99-kopi")
    entries = audit(app)
    assert [a for a, _, _ in entries] == ["user.create", "user.update", "user.password_reset"]
    # The password itself is never written to the log.
    assert "rahasia-123-kopi" not in str(entries) and "sandi-baru-99-kopi" not in str(entries)


def test_admin_cannot_lock_themselves_out(app, setup) -> None:
    client, admin, k = setup["client"], setup["admin"], setup["k"]
    response = post_form(
        client,
        f"/admin/pengguna/{admin.id}",
        {"full_name": "x", "role": "operator", "unit": k.id, "active": "y"},
        follow_redirects=True,
    )
    assert "tidak dapat mengubah peran akun Anda sendiri" in response.get_data(as_text=True)
    response = post_form(
        client,
        f"/admin/pengguna/{admin.id}",
        {"full_name": "x", "role": "admin", "unit": k.id},
        follow_redirects=True,
    )
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.get_data(as_text=True)
    with app.app_context():
        stored = database.session().get(User, admin.id)
        assert (stored.role, stored.active, stored.full_name) == ("admin", True, "Petugas admin")


def test_users_of_other_units_are_out_of_reach(app, setup) -> None:
    client = setup["client"]
    assert client.get(f"/admin/pengguna/{setup['other_admin'].id}").status_code == 404
    assert "admin.lain" not in client.get("/admin/pengguna").get_data(as_text=True)


def test_api_token_is_shown_once_and_can_be_revoked(app, setup) -> None:
    client, k = setup["client"], setup["k"]
    response = post_form(client, "/admin/token", {"name": "Dasbor Kabupaten", "unit": k.id})
    assert response.headers["Cache-Control"] == "no-store"
    plain = re.search(r"<code>(skm_[^<]+)</code>", response.get_data(as_text=True)).group(1)
    assert plain not in client.get("/admin/token").get_data(as_text=True)
    with app.app_context():
        session = database.session()
        token = authenticate(session, plain)
        assert token is not None and token.unit_id == k.id
        assert plain not in str(session.scalars(sa.select(ApiToken.token_hash)).all())
        token_id = token.id
    assert post_form(client, f"/admin/token/{token_id}/cabut").status_code == 302
    with app.app_context():
        assert authenticate(database.session(), plain) is None
    assert [a for a, _, _ in audit(app)] == ["token.create", "token.revoke"]


def test_audit_log_shows_each_admin_their_own_subtree(app, setup) -> None:
    client, k = setup["client"], setup["k"]
    post_form(client, f"/admin/unit/{k.id}", {"name": "Kecamatan Admin Baru", "kind": "kecamatan"})
    html = client.get("/admin/log").get_data(as_text=True)
    assert "Unit diubah" in html and "nama: Kecamatan Admin → Kecamatan Admin Baru" in html
    other = signed_in_client(app, setup["other_admin"])
    assert "Kecamatan Admin Baru" not in other.get("/admin/log").get_data(as_text=True)
