"""Fixtures shared by the storage, CLI and web tests.

Database tests run on SQLite and, when ``SKM_TEST_DATABASE_URL`` names a
PostgreSQL server, on PostgreSQL too. Each PostgreSQL test gets its own
schema, dropped afterwards, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from skm import create_app, database

POSTGRES_URL = os.environ.get("SKM_TEST_DATABASE_URL")

DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    assert POSTGRES_URL is not None
    schema = f"skm_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = database.make_engine(database_url)
    database.create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with database.make_sessionmaker(engine)() as session:
        yield session


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SKM_DATABASE_URL": database_url,
            "INSTANCE_PATH": tmp_path / "instance",
            "SECRET_KEY": "test",
        }
    )
    with app.app_context():
        database.create_schema(database.engine())
    yield app
    app.extensions["skm.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (session-wide); tests using it are marked ``browser``."""
    from tests.browser import chromium, chromium_available

    if not chromium_available():
        pytest.fail("Chromium is missing: install Debian's chromium (see .ci/run).")
    with chromium() as instance:
        yield instance


@pytest.fixture
def live_server(app: Flask):
    """The app served by waitress on a free loopback port."""
    from tests.browser import live_server as serve

    with serve(app) as server:
        yield server
