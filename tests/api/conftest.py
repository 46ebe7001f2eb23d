"""A kecamatan with a kelurahan, another kecamatan, and API tokens for them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from skm import database
from skm.models import Layanan, Unit
from skm.tokens import create_token, revoke_token
from skm.units import add_layanan, create_unit


@dataclass
class ApiPlace:
    unit: Unit
    kelurahan: Unit
    other: Unit
    ktp: Layanan
    domisili: Layanan
    token: str
    kelurahan_token: str
    revoked: str


@pytest.fixture
def api_place(app: Flask) -> ApiPlace:
    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kecamatan Sukamaju", "kecamatan")
        kelurahan = create_unit(session, "Kelurahan Mekarsari", "kelurahan", unit)
        other = create_unit(session, "Kecamatan Lain", "kecamatan")
        (ktp,) = add_layanan(session, unit, ["Rekomendasi KTP"])
        (domisili,) = add_layanan(session, kelurahan, ["Surat Domisili"])
        _, plain = create_token(session, "Aplikasi antrean", unit)
        _, kelurahan_plain = create_token(session, "Kelurahan", kelurahan)
        old, revoked = create_token(session, "Lama", unit)
        revoke_token(session, old)
        session.commit()
        return ApiPlace(unit, kelurahan, other, ktp, domisili, plain, kelurahan_plain, revoked)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
