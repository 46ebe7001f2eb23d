"""Fixtures shared by the storage, CLI and web tests.

Database tests run on SQLite and, when ``SKM_TEST_DATABASE_URL`` names a
PostgreSQL server, on PostgreSQL too. Each PostgreSQL test gets its own
schema, dropped afterwards, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from skm import create_app, database, migrations
from tests.support.auth import AuthActions
from tests.support.factories import user_factory

POSTGRES_URL = os.environ.get("SKM_TEST_DATABASE_URL")

DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@contextmanager
def empty_database(kind: str, folder: Path, prefix: str = "skm_test") -> Iterator[str]:
    """A SQLite file in ``folder``, or a PostgreSQL schema dropped on exit."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'test.sqlite3'}"
        return
    assert POSTGRES_URL is not None
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
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


def newest_schema(engine: Engine) -> None:
    """The newest schema the quick way: ``create_all`` from the models, stamped as head.

    Most tests start from an empty database; running every migration takes
    two to three times as long as ``create_all`` on SQLite (100-150 against 45 ms),
    which adds minutes to the suite. tests/storage/test_migrations.py proves
    that both ways give the same schema, and tests the migration path itself.
    """
    from alembic.runtime.migration import MigrationContext

    database.Base.metadata.create_all(engine)
    with engine.begin() as connection:
        MigrationContext.configure(connection).stamp(migrations.script_directory(), "head")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = database.make_engine(database_url)
    newest_schema(engine)
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
        newest_schema(database.engine())
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
    from tests.support.browser import chromium, chromium_available

    if not chromium_available():
        pytest.fail("Chromium is missing: install Debian's chromium (see .ci/run).")
    with chromium() as instance:
        yield instance


@pytest.fixture
def live_server(app: Flask):
    """The app served by waitress on a free loopback port."""
    from tests.support.browser import live_server as serve

    with serve(app) as server:
        yield server


# --- Staff side (sign-in, roles): the helpers live in tests/support/ ----------


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Sign-in and sign-out of the ``client`` fixture, as in the Flask tutorial:
    ``auth.login(username, password=STAFF_PASSWORD)`` and ``auth.logout()``, through
    the form, return the response. Without the form: ``login(client, user)``."""
    return AuthActions(client)


@pytest.fixture
def make_user(app: Flask):
    """``make_user(unit, role="operator", username=None)``: a staff account whose
    password is STAFF_PASSWORD (hashed cheaply: tests sign in often)."""
    return user_factory(app)
