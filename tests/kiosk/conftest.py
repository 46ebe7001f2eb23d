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
from tests.support.factories import add_staff


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
        admin = add_staff(session, "admin", "admin", unit)
        operator = add_staff(session, "operator", "operator", unit)
        pimpinan = add_staff(session, "camat", "pimpinan", unit)
        other_admin = add_staff(session, "admin-lain", "admin", other)
        session.commit()
        return Place(
            unit, kelurahan, other, ktp, kk, foreign, kiosk, fixed,
            admin, operator, pimpinan, other_admin,
        )  # fmt: skip
