"""Copies of a SQLite database: before a schema upgrade, and on request.

Copies are made with SQLite's online backup (``sqlite3.Connection.backup``):
the copy is consistent even while the server is writing, unlike a plain file
copy, which misses whatever is still in the ``-wal`` file. Each copy is one
self-contained file (rollback journal mode, no ``-wal`` beside it), so it
can be put on a USB stick as it is.

Automatic copies (made by :func:`skm.migrations.migrate` before a revision
runs) are named ``skm-20261122-143005-sebelum-0002.sqlite3`` and only the
newest :data:`KEEP_AUTOMATIC` are kept; manual ones (``skm db backup``) are
named ``skm-20261122-143005-manual.sqlite3`` and never deleted. Nothing
here prints: callers report the path.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import click
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from skm.filemodes import create_private_file, private_folder

logger = logging.getLogger(__name__)

#: The folder of backups, inside the instance folder.
FOLDER = "cadangan"

#: How many automatic backups are kept; older ones are deleted after a new one.
KEEP_AUTOMATIC = 5

# Only names of this form are ever deleted: a manual backup, or anything an
# office put into the folder itself, is left alone. "-2" is added when two
# backups fall in the same second.
_AUTOMATIC = re.compile(r"skm-(\d{8}-\d{6})-sebelum-[0-9A-Za-z_]+(?:-(\d+))?\.sqlite3")

_PARTIAL_SUFFIX = ".sebagian"

_IN_MEMORY = "Basis data ini ada di memori (tidak berupa berkas); tidak dicadangkan."


class BackupError(click.ClickException):
    """The backup could not be made; the database was not changed."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Galat: {self.format_message()}", file=file, err=True)


def automatic_name(revision: str, now: datetime) -> str:
    return f"skm-{now:%Y%m%d-%H%M%S}-sebelum-{revision}.sqlite3"


def manual_name(now: datetime) -> str:
    return f"skm-{now:%Y%m%d-%H%M%S}-manual.sqlite3"


def sqlite_file(connection: sa.Connection) -> Path | None:
    """The file of a SQLite database; None in memory or on another database.

    Asked of SQLite itself, so URI file names are covered too.
    """
    if connection.dialect.name != "sqlite":
        return None
    rows = connection.exec_driver_sql("PRAGMA database_list").fetchall()
    name = next((row[2] for row in rows if row[1] == "main"), "")
    return Path(name) if name else None


def backup_before_upgrade(
    connection: sa.Connection, revision: str, folder: Path | None, now: datetime | None = None
) -> Path | None:
    """Copy a SQLite database before it is upgraded to ``revision``; prune old copies.

    ``folder`` defaults to ``cadangan`` beside the database file. Returns the
    copy, or None when there is no file to copy (in memory, PostgreSQL).
    Raises :class:`BackupError` if the copy cannot be written.
    """
    source = sqlite_file(connection)
    if source is None:
        return None
    folder = folder if folder is not None else source.parent / FOLDER
    target = copy_database(connection, folder, automatic_name(revision, now or datetime.now()))
    prune_automatic(folder)
    return target


def manual_backup(
    engine: Engine, folder: Path, to: Path | None = None, now: datetime | None = None
) -> Path:
    """``skm db backup``: a copy of a SQLite database, into ``folder`` or to ``to``.

    ``to`` may name a folder (an existing one, or a name without an extension,
    created) or a new file; an existing file is never overwritten. Raises
    :class:`BackupError` with the reason (PostgreSQL, a database that does
    not exist yet, a folder that cannot be written).
    """
    if engine.dialect.name == "postgresql":
        raise BackupError(
            "SKM hanya mencadangkan basis data SQLite. Cadangkan basis data PostgreSQL "
            f"dengan pg_dump, misalnya:\n  {pg_dump_command(engine.url, now or datetime.now())}"
        )
    if engine.dialect.name != "sqlite":
        raise BackupError("SKM hanya mencadangkan basis data SQLite; gunakan alat basis data ini.")
    _check_exists(engine.url)
    name = manual_name(now or datetime.now())
    if to is not None and (to.is_dir() or (not to.suffix and not to.exists())):
        folder = to
    elif to is not None:
        if to.exists() or to.is_symlink():
            raise BackupError(f"Berkas {to} sudah ada; tidak ditimpa. Pilih nama lain.")
        folder, name = to.parent, to.name
    with engine.connect() as connection:
        if sqlite_file(connection) is None:
            raise BackupError(_IN_MEMORY)
        return copy_database(connection, folder, name)


def copy_database(connection: sa.Connection, folder: Path, name: str) -> Path:
    """Write a consistent copy of the SQLite database to ``folder/name``.

    Written under a temporary name and renamed when complete: a copy cut off
    by a full disk never looks like a backup (nor counts among those kept).
    """
    partial: Path | None = None
    try:
        private_folder(folder)
        target = _unused(folder / name)
        partial = target.with_name(target.name + _PARTIAL_SUFFIX)
        partial.unlink(missing_ok=True)  # left by an interrupted backup
        # The copy holds every saran and password hash: 0600 from the start.
        create_private_file(partial)
        source = connection.connection.driver_connection
        assert isinstance(source, sqlite3.Connection), "SKM's SQLite driver is sqlite3"
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            # One file: the copy needs no -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        raise BackupError(
            f"Cadangan basis data tidak dapat dibuat di {folder} ({_reason(error)}). "
            "Pastikan folder itu dapat ditulis dan ruang diska cukup."
        ) from error
    logger.info("database copied to %s", target)
    return target


def prune_automatic(folder: Path, keep: int = KEEP_AUTOMATIC) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups in ``folder``.

    Ordered by the time in the name, not the file's: copying a folder
    changes the latter. Returns what was deleted.
    """
    automatic = []
    for path in folder.iterdir():
        match = _AUTOMATIC.fullmatch(path.name)
        if match and path.is_file():
            automatic.append(((match[1], int(match[2] or 1)), path))
    automatic.sort(reverse=True)
    removed = []
    for _, path in automatic[keep:]:
        try:
            path.unlink()
        except OSError:
            # Open in another program (Windows locks it): tried again next time.
            logger.warning("old backup %s could not be deleted", path)
            continue
        removed.append(path)
    return removed


def pg_dump_command(url: sa.URL, now: datetime) -> str:
    """The pg_dump command line that backs up the database ``url`` names (no password)."""
    parts = ["pg_dump", "--format=custom", f"--file=skm-{now:%Y%m%d-%H%M%S}.dump"]
    if url.host:
        parts += ["--host", url.host]
    if url.port:
        parts += ["--port", str(url.port)]
    if url.username:
        parts += ["--username", url.username]
    # A schema chosen with ?options=-csearch_path=... holds SKM's tables.
    options = url.query.get("options")
    schema = re.search(r"search_path=([^\s,]+)", options if isinstance(options, str) else "")
    if schema:
        parts.append(f"--schema={schema[1]}")
    parts.append(url.database or "NAMA_BASIS_DATA")
    return " ".join(f'"{part}"' if " " in part else part for part in parts)


def _check_exists(url: sa.URL) -> None:
    """Refuse a SQLite file that does not exist: connecting would create it."""
    database = url.database
    if not database or database == ":memory:":
        raise BackupError(_IN_MEMORY)
    if not url.query.get("uri") and not Path(database).is_file():
        raise BackupError(f"Basis data {database} belum ada; jalankan 'skm init' untuk membuatnya.")


def _unused(path: Path) -> Path:
    """``path``, or ``name-2.sqlite3``, ``-3``, ... when it exists (same second)."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def _reason(error: OSError | sqlite3.Error) -> str:
    """The cause in Indonesian where it is a common one, else the system's text."""
    if isinstance(error, PermissionError):
        return "tidak ada izin menulis"
    if isinstance(error, FileExistsError | NotADirectoryError):
        return "ada berkas biasa di tempat folder itu"
    if (isinstance(error, OSError) and error.errno == errno.ENOSPC) or "disk is full" in str(error):
        return "ruang diska penuh"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
