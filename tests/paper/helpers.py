"""Shared set-up of the paper tests: a kecamatan with a kelurahan, layanan and staff."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from skm.models import Layanan, Unit, User
from skm.sessions import mark_signed_in
from skm.units import add_layanan, create_unit


@dataclass
class Place:
    unit_id: int
    slug: str
    kelurahan_id: int
    other_slug: str
    ktp_id: int
    kk_id: int
    operator_id: int
    second_operator_id: int
    pimpinan_id: int
    admin_id: int
    outsider_id: int


def _staff(session: Session, username: str, role: str, unit: Unit, name: str = "") -> User:
    # Signed in through the session in tests; a real scrypt hash would only cost time.
    user = User(username=username, role=role, unit=unit, password_hash="-", full_name=name)
    session.add(user)
    session.flush()
    return user


def make_place(session: Session) -> Place:
    unit = create_unit(session, "Kecamatan Sukamaju", "kecamatan")
    kelurahan = create_unit(session, "Kelurahan Mekarsari", "kelurahan", unit)
    other = create_unit(session, "Kecamatan Lain", "kecamatan")
    ktp, kk = add_layanan(session, unit, ["Rekomendasi KTP", "Kartu Keluarga (KK)"])
    add_layanan(session, other, ["Surat Pindah"])
    operator = _staff(session, "sri", "operator", unit, "Sri Wahyuni")
    second = _staff(session, "budi", "operator", unit, "Budi Santoso")
    pimpinan = _staff(session, "camat", "pimpinan", unit, "Pak Camat")
    admin = _staff(session, "admin", "admin", unit, "Admin Kecamatan")
    outsider = _staff(session, "lain", "operator", other, "Operator Lain")
    session.commit()
    return Place(
        unit.id, unit.slug, kelurahan.id, other.slug, ktp.id, kk.id,
        operator.id, second.id, pimpinan.id, admin.id, outsider.id,
    )  # fmt: skip


def sign_in(client: FlaskClient, user_id: int) -> None:
    with client.session_transaction() as session:
        mark_signed_in(session, user_id, version=0)  # a new account: no session ended yet


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def layanan(session: Session, layanan_id: int) -> Layanan:
    found = session.get(Layanan, layanan_id)
    assert found is not None
    return found
