"""Fixtures of the IKU tests: the paper tests' kecamatan with its staff."""

from __future__ import annotations

import pytest
from flask import Flask

from skm import database
from tests.paper.helpers import Place, make_place


@pytest.fixture
def place(app: Flask) -> Place:
    with app.app_context():
        return make_place(database.session())
