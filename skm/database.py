"""Engine, sessions and the declarative base.

Plain SQLAlchemy 2.0 rather than Flask-SQLAlchemy: the same models and
service functions are used by the web app, the CLI and the benchmarks, and
the latter two run without a request. Within a request, :func:`session`
hands out one session that is closed at teardown, and :func:`connection`
one plain connection for the survey deliveries, which need no ORM.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from skm.filemodes import create_private_file, sqlite_database_file

logger = logging.getLogger(__name__)

# Named constraints keep PostgreSQL and SQLite schemas comparable and let a
# later migration tool address constraints by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """An instant stored as naive UTC, returned as an aware UTC datetime.

    SQLite has no time-zone type; storing every instant as naive UTC on both
    databases makes range comparisons (period boundaries) behave the same.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Waktu harus memiliki zona waktu (aware datetime).")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


#: Every SQLite connection's settings (benchmarks/load.py gives its bare handler the same).
#:
#: - WAL lets the kiosk write while staff read.
#: - ``synchronous=FULL``: a survey is acknowledged (2xx) only after its
#:   commit reached the disk. The tablet deletes an acknowledged survey from
#:   its queue, so a commit lost afterwards can never be sent again. WAL with
#:   NORMAL survives a crash of the server process (the WAL is in the
#:   operating system's cache) but not a power cut, which an office PC without
#:   a UPS meets often; FULL syncs the WAL at every commit and survives both.
#:   Its cost is measured in docs/database.md ("Durability").
#: - ``busy_timeout``: a delivery waits this long (ms) for another writer
#:   (a backup, an import), then fails with 503 and Retry-After (skm/errors.py)
#:   and the kiosk tries again. Kept well under the kiosk's 20-second request
#:   timeout, and short because every waiting delivery holds one of the
#:   server's eight threads.
SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=FULL",
    "foreign_keys=ON",
    "busy_timeout=5000",
)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings this application relies on.

    On PostgreSQL, ``pool_pre_ping`` tests a pooled connection before handing
    it out: after the database server restarted, or a connection was ended by
    an administrator, the next request gets a fresh connection instead of a
    503 (the one under way when it happened still fails, see skm/errors.py).
    """
    if url.startswith("postgresql"):
        kwargs.setdefault("pool_pre_ping", True)
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        file = sqlite_database_file(engine.url.database)
        if file is not None:
            sa.event.listen(engine, "do_connect", _private_database_file(file))
    return engine


def _private_database_file(file: Path) -> Any:
    """Before the first connection, make the database file 0600 if it is new.

    SQLite would create it world-readable; its -wal and -shm files take
    the database file's mode, so they are private too (skm.filemodes).
    """

    def create(*_args: Any) -> None:
        if file.parent.is_dir():
            create_private_file(file)

    return create


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["SKM_DATABASE_URL"])
    app.extensions["skm.engine"] = engine
    app.extensions["skm.sessionmaker"] = make_sessionmaker(engine)
    app.teardown_appcontext(_close_session)
    app.teardown_appcontext(_close_connection)


def engine() -> Engine:
    """The current application's engine."""
    return current_app.extensions["skm.engine"]  # type: ignore[no-any-return]


def session() -> Session:
    """The session of the current application context (request or CLI command)."""
    if "skm_session" not in g:
        g.skm_session = current_app.extensions["skm.sessionmaker"]()
    return g.skm_session  # type: ignore[no-any-return]


def connection() -> sa.Connection:
    """A Core connection of the current application context, closed (rolled back) at teardown.

    For the survey deliveries: the ORM session's bookkeeping costs a kiosk
    delivery more than its insert (benchmarks/load.py). Commit explicitly.
    """
    if "skm_connection" not in g:
        g.skm_connection = engine().connect()
    return g.skm_connection  # type: ignore[no-any-return]


def _close_session(_exc: BaseException | None) -> None:
    _close_quietly(g.pop("skm_session", None))


def _close_connection(_exc: BaseException | None) -> None:
    _close_quietly(g.pop("skm_connection", None))


def _close_quietly(resource: Session | sa.Connection | None) -> None:
    """Close at teardown; a connection the database already ended cannot roll back.

    Its rollback fails (PostgreSQL restarted, ``pg_terminate_backend``), and
    SQLAlchemy then discards it from the pool. Nothing was committed that the
    request's answer (a 503, see skm/errors.py) does not account for, so the
    failure is logged instead of turning that answer into a 500.
    """
    if resource is None:
        return
    try:
        resource.close()
    except sa.exc.DBAPIError as error:
        logger.warning("database connection lost at the end of a request: %s", error.orig)
