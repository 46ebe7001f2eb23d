"""Engine, sessions and the declarative base.

Plain SQLAlchemy 2.0 rather than Flask-SQLAlchemy: the same models and
service functions are used by the web app, the CLI and the benchmarks, and
the latter two run without a request. Within a request, :func:`session`
hands out one session that is closed at teardown, and :func:`connection`
one plain connection for the survey deliveries, which need no ORM.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

if TYPE_CHECKING:
    from skm.migrations import Upgrade

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


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the kiosk write while staff read; busy_timeout waits for a
    # writer instead of failing a citizen's submission with "locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings this application relies on."""
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


#: Modules whose models make up the schema; a feature with tables adds its own.
MODEL_MODULES = (
    "skm.models",
    "skm.kiosk.models",
    "skm.api.models",
    "skm.auth.models",
    "skm.staff.models",
    "skm.admin.models",
    "skm.paper.models", "skm.iku.models",
    "skm.reports.models",
    "skm.summaries",
)


def import_models() -> None:
    """Register every table on ``Base.metadata``."""
    for name in MODEL_MODULES:
        importlib.import_module(name)


def create_schema(engine: Engine) -> str:
    """Bring the database to the newest schema and return its revision.

    An empty database gets every migration; one made before SKM had
    migrations is recognised and stamped first (see :mod:`skm.migrations`).
    An existing SQLite database is copied first (see :func:`upgrade_schema`).
    Raises :class:`skm.migrations.SchemaError` (an Indonesian message) if the
    database cannot be upgraded; then nothing was changed.
    """
    return upgrade_schema(engine).revision


def upgrade_schema(engine: Engine, backup_folder: Path | None = None) -> Upgrade:
    """:func:`create_schema`, saying what was done (for the CLI to report).

    Before revisions run on an existing SQLite database, it is copied into
    ``backup_folder``: by default ``cadangan`` in the application's instance
    folder, or beside the database file outside an application context.
    """
    from skm.migrations import migrate

    if backup_folder is None and has_app_context():
        backup_folder = instance_backup_folder()
    import_models()
    return migrate(engine, backup_folder=backup_folder)


def instance_backup_folder() -> Path:
    """Where backups of the application's database go: ``cadangan`` in its instance folder."""
    from skm.migrations.backup import FOLDER

    return Path(current_app.instance_path) / FOLDER


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
    db_session = g.pop("skm_session", None)
    if db_session is not None:
        db_session.close()


def _close_connection(_exc: BaseException | None) -> None:
    db_connection = g.pop("skm_connection", None)
    if db_connection is not None:
        db_connection.close()
