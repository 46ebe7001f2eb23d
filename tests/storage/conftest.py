"""Fixtures of the storage tests: the database kind, and an engine on the empty test database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine, make_url

from skm import database


@pytest.fixture
def kind(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


@pytest.fixture
def new_engine(database_url: str) -> Iterator[Engine]:
    """An engine on the empty test database (no schema yet)."""
    engine = database.make_engine(database_url)
    yield engine
    engine.dispose()
