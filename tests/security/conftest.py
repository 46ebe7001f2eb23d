"""A kecamatan for the sign-in, session and password tests."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.factories import saved_unit


@pytest.fixture
def unit(app: Flask):
    return saved_unit(app, "Kecamatan Aman")
