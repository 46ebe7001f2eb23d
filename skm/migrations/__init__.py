"""Schema migrations: Alembic, shipped inside the package and configured in code.

An office upgrades SKM by installing the new version and running ``skm init``
(or ``skm db upgrade``). :func:`migrate` then brings its database to the
newest schema from whatever state it is in:

- empty (a new office): every revision, from the first;
- made by SKM before it had migrations (tables from ``create_all``, no
  ``alembic_version``): checked against the initial revision, stamped with
  it, then upgraded;
- migrated before: the revisions it lacks, if any.

Before revisions run on a SQLite file that holds SKM's tables, the file is
copied (:mod:`skm.migrations.backup`); a database that is up to date or new
is not copied. Nothing here prints: callers report the revision and the
copy (``skm init``, ``skm db``).
docs/database.md says how to add a revision.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import io

# Only to run ruff on a revision file just written (_format_with_ruff).
import subprocess  # nosec B404
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from flask import current_app, has_app_context
from sqlalchemy.engine import Engine

from skm import models  # noqa: F401  (importing it registers every table on Base.metadata)
from skm.database import Base, make_engine
from skm.migrations.backup import FOLDER, BackupError, backup_before_upgrade

MIGRATIONS_DIR = Path(__file__).resolve().parent

#: The revision that creates the schema SKM had when migrations were introduced
#: (the schema every earlier installation got from ``create_all``).
INITIAL_REVISION = "0001"

VERSION_TABLE = "alembic_version"


class SchemaError(click.ClickException):
    """The database cannot be brought to the newest schema; nothing was changed.

    A ClickException so that every command that prepares the database
    (``skm init``, ``skm demo``, ``skm iku import``, ``skm db upgrade``) stops
    with the message instead of a traceback.
    """

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Galat: {self.format_message()}", file=file, err=True)


def alembic_config(
    connection: sa.Connection | None = None, script_location: Path = MIGRATIONS_DIR
) -> Config:
    """Alembic's configuration without an alembic.ini; env.py uses ``connection``."""
    # Alembic's own messages ("Generating ...") are silenced; callers report.
    config = Config(stdout=io.StringIO(), cmd_opts=argparse.Namespace(quiet=True))
    # "%" would start an interpolation in Alembic's ConfigParser.
    config.set_main_option("script_location", str(script_location).replace("%", "%%"))
    # Numbered file names (0002_add_something.py) keep versions/ in order.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@functools.cache
def script_directory(script_location: Path = MIGRATIONS_DIR) -> ScriptDirectory:
    """The revisions, read once per process (tests create many databases)."""
    return ScriptDirectory.from_config(alembic_config(script_location=script_location))


def head_revision(script_location: Path = MIGRATIONS_DIR) -> str:
    head = script_directory(script_location).get_current_head()
    assert head is not None, "skm/migrations/versions has no revision"
    return head


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at; None if it was never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class Upgrade:
    """What :func:`migrate` did."""

    #: The revision before; None if the database was never migrated.
    before: str | None
    #: The revision now (the newest).
    revision: str
    #: Whether the database held SKM's tables before (False: a new database).
    existing: bool
    #: The copy made before the upgrade (SQLite only), if revisions ran.
    backup: Path | None = None


def upgrade(engine: Engine, script_location: Path = MIGRATIONS_DIR) -> str:
    """Bring the database to the newest revision and return that revision (see :func:`migrate`)."""
    return migrate(engine, script_location).revision


def migrate(
    engine: Engine, script_location: Path = MIGRATIONS_DIR, backup_folder: Path | None = None
) -> Upgrade:
    """Bring the database to the newest revision.

    Before the first revision runs on a SQLite file that holds SKM's tables,
    the file is copied into ``backup_folder`` (default: ``cadangan`` beside
    it); if that fails, nothing is changed. Runs in one transaction: if
    anything fails, the database is left as it was.
    """
    script = script_directory(script_location)
    head = head_revision(script_location)
    with engine.connect() as connection:
        current = current_revision(connection)
        if current == head:  # the usual case: one query, no backup
            return Upgrade(before=head, revision=head, existing=True)
        existing = current is not None or has_skm_tables(connection, script_location)
        # A database that would be refused gets no backup.
        _check_upgradable(connection, script, script_location, current, existing)
        backup = None
        if existing:
            backup = _backup(connection, head, backup_folder)
    with _migration_connection(engine) as connection:
        # Read again inside the transaction: another process may have migrated meanwhile.
        current = current_revision(connection)
        existing = current is not None or has_skm_tables(connection, script_location)
        _check_upgradable(connection, script, script_location, current, existing)
        config = alembic_config(connection, script_location)
        if current is None and existing:
            command.stamp(config, INITIAL_REVISION)
        command.upgrade(config, "head")
    return Upgrade(before=current, revision=head, existing=existing, backup=backup)


def upgrade_pending(connection: sa.Connection, script_location: Path = MIGRATIONS_DIR) -> bool:
    """Whether revisions would run on a database holding SKM's tables (a new one: False)."""
    current = current_revision(connection)
    if current == head_revision(script_location):
        return False
    return current is not None or has_skm_tables(connection, script_location)


def _check_upgradable(
    connection: sa.Connection,
    script: ScriptDirectory,
    script_location: Path,
    current: str | None,
    existing: bool,
) -> None:
    if current is not None:
        _check_known_revision(script, current)
    elif existing:
        _check_initial_schema(connection, script_location)


def _backup(connection: sa.Connection, revision: str, folder: Path | None) -> Path | None:
    try:
        return backup_before_upgrade(connection, revision, folder)
    except BackupError as error:
        raise SchemaError(
            f"{error.format_message()} Skema basis data tidak diperbarui; tidak ada yang diubah."
        ) from error


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[sa.Connection]:
    """A connection in one transaction, committed only if the upgrade succeeds.

    SQLite needs two things first. Batch mode rebuilds a table (copy, drop,
    rename); with foreign keys enforced, dropping ``unit`` would fail on the
    responses that refer to it or cascade to its layanan and kiosks, so
    enforcement is off during the upgrade and the references are checked
    (the whole database) before committing. And pysqlite opens a
    transaction only before a DML statement; an explicit BEGIN puts the DDL
    in it too, so a failed upgrade rolls back completely.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
            if sqlite:
                _check_references(connection)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _check_references(connection: sa.Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = ", ".join(sorted({row[0] for row in broken}))
        raise SchemaError(
            f"Pembaruan skema dibatalkan: {len(broken)} baris merujuk data yang tidak ada "
            f"(tabel {tables}). Basis data tidak diubah."
        )


@functools.cache
def initial_schema(script_location: Path = MIGRATIONS_DIR) -> dict[str, frozenset[str]]:
    """Tables and their columns as the initial revision creates them.

    Read by running that revision on an in-memory SQLite database, so the
    check of an old database never depends on today's models.
    """
    engine = sa.create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection, script_location), INITIAL_REVISION)
            inspector = sa.inspect(connection)
            return {
                table: frozenset(column["name"] for column in inspector.get_columns(table))
                for table in inspector.get_table_names()
                if table != VERSION_TABLE
            }
    finally:
        engine.dispose()


def has_skm_tables(connection: sa.Connection, script_location: Path = MIGRATIONS_DIR) -> bool:
    """Whether the database holds any table of SKM's initial schema."""
    tables = set(sa.inspect(connection).get_table_names())
    return bool(tables & initial_schema(script_location).keys())


def _check_initial_schema(connection: sa.Connection, script_location: Path) -> None:
    """Refuse a database that has SKM tables but not the initial schema."""
    inspector = sa.inspect(connection)
    present = set(inspector.get_table_names())
    expected = initial_schema(script_location)
    missing_tables = sorted(expected.keys() - present)
    missing_columns = [
        f"{table}.{column}"
        for table in sorted(expected.keys() & present)
        for column in sorted(expected[table] - {c["name"] for c in inspector.get_columns(table)})
    ]
    if not missing_tables and not missing_columns:
        return
    problems = []
    if missing_tables:
        problems.append("tabel tidak ada: " + _some(missing_tables))
    if missing_columns:
        problems.append("kolom tidak ada: " + _some(missing_columns))
    raise SchemaError(
        "Basis data ini berisi tabel SKM, tetapi skemanya tidak dikenali ("
        + "; ".join(problems)
        + "). Tidak ada yang diubah. Cadangkan basis data ini dan minta bantuan "
        "pengelola SKM sebelum melanjutkan."
    )


def _check_known_revision(script: ScriptDirectory, current: str) -> None:
    try:
        script.get_revision(current)
    except CommandError as error:
        raise SchemaError(
            f"Basis data ini memakai revisi skema '{current}' yang tidak dikenal oleh versi "
            "SKM ini (mungkin dibuat oleh versi yang lebih baru). Tidak ada yang diubah; "
            "pasang versi SKM yang sama atau lebih baru."
        ) from error


def _some(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} dan {len(names) - limit} lainnya"


def schema_differences(connection: sa.Connection) -> list[Any]:
    """What the models have that the database's schema lacks, as Alembic sees it.

    Empty when the database is at a revision matching the models; a model
    change without a revision shows up here (tests/storage/test_migrations.py).
    """
    from alembic.autogenerate import compare_metadata

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def new_revision(message: str, script_location: Path = MIGRATIONS_DIR) -> Path | None:
    """Write a revision for what the models changed since the newest one (developers).

    The models are compared with a scratch SQLite database migrated to the
    newest revision, so no developer database is involved and the file uses
    batch operations, which work on SQLite and PostgreSQL alike. Returns the
    new file, or None when the models match the newest revision.
    """
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'scratch.sqlite3'}")
        try:
            upgrade(engine, script_location)
            with engine.begin() as connection:
                if not schema_differences(connection):
                    return None
                script = command.revision(
                    alembic_config(connection, script_location),
                    message,
                    autogenerate=True,
                    rev_id=_next_revision_id(script_location),
                )
        finally:
            engine.dispose()
    script_directory.cache_clear()
    assert script is not None and not isinstance(script, list)
    path = Path(script.path)
    _format_with_ruff(path)
    return path


def _format_with_ruff(path: Path) -> None:
    """Autogenerate writes long lines; ruff format makes the file pass ruff check."""
    if importlib.util.find_spec("ruff") is None:  # ruff comes with the test extra
        return
    # A fixed argument list (this Python, ruff, our own file), no shell.
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(path)], check=True)  # nosec B603


def _next_revision_id(script_location: Path) -> str:
    numbers = [
        int(script.revision)
        for script in script_directory(script_location).walk_revisions()
        if script.revision.isdigit()
    ]
    return f"{max(numbers, default=0) + 1:04d}"


def create_schema(engine: Engine) -> str:
    """Bring the database to the newest schema and return its revision.

    An empty database gets every migration; one made before SKM had
    migrations is recognised and stamped first (see above).
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
    if backup_folder is None and has_app_context():
        backup_folder = instance_backup_folder()
    return migrate(engine, backup_folder=backup_folder)


def instance_backup_folder() -> Path:
    """Where backups of the application's database go: ``cadangan`` in its instance folder."""
    return Path(current_app.instance_path) / FOLDER
