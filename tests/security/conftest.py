"""A kecamatan for the sign-in, session and password tests."""

from __future__ import annotations

import pytest
from flask import Flask

from skm import database
from skm.units import create_unit


@pytest.fixture
def unit(app: Flask):
    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kecamatan Aman", "kecamatan")
        session.commit()
        session.expunge(unit)
    return unit
