"""A kecamatan with a kelurahan, another kecamatan, layanan, kiosks and staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from skm import database
from skm.kiosk.kiosks import open_kiosk
from skm.models import Layanan, Unit, User
from skm.models.kiosk import Kiosk
from skm.units import add_layanan, create_unit
from tests.conftest import login


@dataclass
class Place:
    unit: Unit
    kelurahan: Unit
    other: Unit
    ktp: Layanan
    kk: Layanan
    foreign: Layanan
    kiosk: Kiosk
    fixed_kiosk: Kiosk
    admin: User
    operator: User
    pimpinan: User
    other_admin: User


def _staff(session, username: str, role: str, unit: Unit) -> User:
    # Tests sign staff in through the session; a real password hash (scrypt,
    # deliberately slow) would only cost time here.
    user = User(username=username, role=role, unit=unit, password_hash="-")
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def place(app: Flask) -> Place:
    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kecamatan Sukamaju", "kecamatan")
        kelurahan = create_unit(session, "Kelurahan Mekarsari", "kelurahan", unit)
        other = create_unit(session, "Kecamatan Lain", "kecamatan")
        ktp, kk = add_layanan(session, unit, ["Rekomendasi KTP", "Kartu Keluarga"])
        (foreign,) = add_layanan(session, other, ["Surat Pindah"])
        add_layanan(session, kelurahan, ["Surat Domisili"])
        kiosk = open_kiosk(session, unit, "Loket 1")
        fixed = open_kiosk(session, unit, "Loket KTP", ktp)
        admin = _staff(session, "admin", "admin", unit)
        operator = _staff(session, "operator", "operator", unit)
        pimpinan = _staff(session, "camat", "pimpinan", unit)
        other_admin = _staff(session, "admin-lain", "admin", other)
        session.commit()
        return Place(
            unit, kelurahan, other, ktp, kk, foreign, kiosk, fixed,
            admin, operator, pimpinan, other_admin,
        )  # fmt: skip


def sign_in(client, user: User) -> None:
    login(client, user)
