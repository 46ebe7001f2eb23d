"""Backups: a copy of a SQLite database before revisions run on it, pruned to the
newest five, and ``skm db backup``; PostgreSQL is left to pg_dump.

Databases from older versions are made as tests/storage/test_migrations.py
makes them: ``create_all`` without a revision (before migrations), or the
newest revision plus a scratch revision 0900.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine, make_url

from skm import create_app, database, migrations
from skm.migrations import backup
from tests.storage.test_migrations import (
    column_length,
    describe,
    migrations_with,
    old_installation,
    old_schema,
    revision_of,
    row_counts,
    stored_responses,
)


def automatic_name(revision: str) -> str:
    """The pattern of an automatic backup's name before ``revision``."""
    return rf"skm-\d{{8}}-\d{{6}}-sebelum-{revision}\.sqlite3"


MANUAL_NAME = re.compile(r"skm-\d{8}-\d{6}-manual\.sqlite3")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite file, in every run: for what only happens on SQLite."""
    engine = database.make_engine(f"sqlite:///{tmp_path / 'skm.sqlite3'}")
    yield engine
    engine.dispose()


@contextmanager
def cli_app(database_url: str, instance: Path) -> Iterator[Flask]:
    app = create_app(
        {"TESTING": True, "SKM_DATABASE_URL": database_url, "SECRET_KEY": "test",
         "INSTANCE_PATH": instance}
    )  # fmt: skip
    try:
        yield app
    finally:
        app.extensions["skm.engine"].dispose()


def responses_in(path: Path) -> int:
    """The number of responses in a copy, read with the plain sqlite3 module."""
    copy = sqlite3.connect(path)
    try:
        return int(copy.execute("SELECT count(*) FROM response").fetchone()[0])
    finally:
        copy.close()


@contextmanager
def copy_engine(path: Path) -> Iterator[Engine]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


# --- Before an upgrade -----------------------------------------------------------


def test_an_old_installation_is_copied_before_it_is_stamped_and_upgraded(
    new_engine: Engine, kind: str, tmp_path: Path
) -> None:
    before = old_installation(new_engine)
    folder = tmp_path / "cadangan"

    result = migrations.upgrade_schema(new_engine, folder)

    assert result.revision == migrations.head_revision()
    assert stored_responses(new_engine) == before
    if kind == "postgresql":  # pg_dump's job: no copy, no folder
        assert result.backup is None
        assert not folder.exists()
        return
    assert result.backup is not None
    assert files_in(folder) == [result.backup.name]  # one file: no -wal beside it
    name = automatic_name(migrations.head_revision())
    assert re.fullmatch(name, result.backup.name)
    assert responses_in(result.backup) == 4
    copy_file = sqlite3.connect(result.backup)
    try:  # no -wal file needed, even to read it from a read-only USB stick
        assert copy_file.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy_file.close()
    with copy_engine(result.backup) as copy:
        assert stored_responses(copy) == before
        # The database as it was: not yet stamped.
        assert migrations.VERSION_TABLE not in sa.inspect(copy).get_table_names()


def test_a_copy_is_made_before_a_revision_runs(
    new_engine: Engine, kind: str, tmp_path: Path
) -> None:
    before = old_installation(new_engine)
    head = migrations.create_schema(new_engine)
    folder = tmp_path / "sebelum-0900"
    location = migrations_with(
        tmp_path,
        """
with op.batch_alter_table("unit") as batch:
    batch.alter_column("address", type_=sa.String(400), existing_nullable=True)
""",
    )

    result = migrations.migrate(new_engine, location, backup_folder=folder)

    assert (result.before, result.revision) == (head, "0900")
    assert column_length(new_engine, "unit", "address") == 400
    if kind == "postgresql":
        assert result.backup is None
        assert not folder.exists()
        return
    assert result.backup is not None
    assert re.fullmatch(automatic_name("0900"), result.backup.name)
    with copy_engine(result.backup) as copy:
        assert stored_responses(copy) == before
        assert revision_of(copy) == head
        assert column_length(copy, "unit", "address") == 300


def test_the_copy_holds_rows_still_in_the_write_ahead_log(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """A plain file copy while the server runs misses what the -wal file holds;
    the backup does not."""
    file = tmp_path / "skm.sqlite3"
    old_schema(sqlite_engine)
    with sqlite_engine.connect() as connection:  # the tables into the main file
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    # A reader that started before the responses were written keeps them out of
    # the main file (no checkpoint can pass its snapshot), as a busy server may.
    reader = sqlite3.connect(file)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM response").fetchone()
    try:
        before = old_installation(sqlite_engine, make_tables=False)
        plain = tmp_path / "plain-copy.sqlite3"
        shutil.copyfile(file, plain)
        assert responses_in(plain) == 0  # what a file copy would have saved

        result = migrations.upgrade_schema(sqlite_engine, tmp_path / "cadangan")
    finally:
        reader.close()
    assert result.backup is not None
    assert responses_in(result.backup) == 4
    with copy_engine(result.backup) as copy:
        assert stored_responses(copy) == before


def test_no_copy_of_a_new_or_up_to_date_database(new_engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "cadangan"
    created = migrations.upgrade_schema(new_engine, folder)
    assert (created.before, created.existing, created.backup) == (None, False, None)
    again = migrations.upgrade_schema(new_engine, folder)
    assert again.backup is None
    assert again.before == again.revision == migrations.head_revision()
    assert not folder.exists()


def test_no_copy_of_a_database_in_memory(tmp_path: Path) -> None:
    engine = database.make_engine("sqlite://")
    try:
        before = old_installation(engine)
        result = migrations.migrate(engine, backup_folder=tmp_path / "cadangan")
        assert result.revision == migrations.head_revision()
        assert result.backup is None
        assert stored_responses(engine) == before
    finally:
        engine.dispose()
    assert files_in(tmp_path) == []


def test_outside_an_application_the_copy_goes_beside_the_database_file(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    old_installation(sqlite_engine)
    migrations.create_schema(sqlite_engine)
    name = automatic_name(migrations.head_revision())
    copies = files_in(tmp_path / "cadangan")
    assert len(copies) == 1 and re.fullmatch(name, copies[0])


# --- A backup that fails ---------------------------------------------------------


def assert_left_alone(
    engine: Engine,
    schema: dict[str, dict[str, Any]],
    before: list[tuple[Any, ...]],
    counts: dict[str, int],
) -> None:
    assert revision_of(engine) is None
    assert migrations.VERSION_TABLE not in sa.inspect(engine).get_table_names()
    assert describe(engine) == schema
    assert stored_responses(engine) == before
    assert row_counts(engine) == counts


def test_a_folder_that_cannot_be_written_stops_the_upgrade(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    before = old_installation(sqlite_engine)
    schema, counts = describe(sqlite_engine), row_counts(sqlite_engine)
    folder = tmp_path / "cadangan"
    folder.write_text("bukan folder", encoding="utf-8")

    with pytest.raises(migrations.SchemaError) as refused:
        migrations.upgrade_schema(sqlite_engine, folder)

    assert refused.value.format_message() == (
        f"Cadangan basis data tidak dapat dibuat di {folder} (ada berkas biasa di tempat "
        "folder itu). Pastikan folder itu dapat ditulis dan ruang diska cukup. Skema basis "
        "data tidak diperbarui; tidak ada yang diubah."
    )
    assert_left_alone(sqlite_engine, schema, before, counts)
    assert folder.read_text(encoding="utf-8") == "bukan folder"


def test_a_full_disk_stops_the_upgrade_and_leaves_no_partial_copy(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = old_installation(sqlite_engine)
    schema, counts = describe(sqlite_engine), row_counts(sqlite_engine)
    connect = sqlite3.connect

    def full_disk(*args: Any, **kwargs: Any) -> Any:
        # SQLite reports a copy that outgrows max_page_count as a full disk.
        copy = connect(*args, **kwargs)
        copy.execute("PRAGMA max_page_count=1")
        return copy

    # SQLAlchemy connects through sqlite3.dbapi2.connect, which stays as it is.
    monkeypatch.setattr(sqlite3, "connect", full_disk)
    folder = tmp_path / "cadangan"
    with pytest.raises(migrations.SchemaError, match=r"\(ruang diska penuh\).*tidak ada yang"):
        migrations.upgrade_schema(sqlite_engine, folder)
    monkeypatch.undo()

    assert files_in(folder) == []
    assert_left_alone(sqlite_engine, schema, before, counts)


def test_skm_db_upgrade_reports_a_failed_backup(sqlite_engine: Engine, tmp_path: Path) -> None:
    before = old_installation(sqlite_engine)
    schema, counts = describe(sqlite_engine), row_counts(sqlite_engine)
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "cadangan").write_text("", encoding="utf-8")
    with cli_app(str(sqlite_engine.url), instance) as app:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 1
    assert result.output.startswith("Galat: Cadangan basis data tidak dapat dibuat di ")
    assert "tidak ada yang diubah" in result.output
    assert "Traceback" not in result.output
    assert_left_alone(sqlite_engine, schema, before, counts)


# --- Only the newest five automatic backups are kept ---------------------------


def test_pruning_keeps_the_five_newest_automatic_backups_and_nothing_else(
    tmp_path: Path,
) -> None:
    automatic = [  # oldest first, by the time in the name
        "skm-20260105-090000-sebelum-0001.sqlite3",
        "skm-20260106-090000-sebelum-0001.sqlite3",
        "skm-20260301-120000-sebelum-0002.sqlite3",
        "skm-20260301-120000-sebelum-0002-2.sqlite3",
        "skm-20260301-120000-sebelum-0002-3.sqlite3",
        "skm-20261122-143005-sebelum-0003.sqlite3",
        "skm-20270101-000000-sebelum-0004.sqlite3",
    ]
    others = [
        "skm-20250101-000000-manual.sqlite3",  # manual backups are never pruned
        "skm-20250101-000000-sebelum-0001.sqlite3.sebagian",  # not a complete copy
        "skm.sqlite3",
        "catatan.txt",
        "skm-2025-sebelum-0001.sqlite3",
        "salinan skm-20250101-000000-sebelum-0001.sqlite3",
    ]
    for number, name in enumerate(automatic + others):
        path = tmp_path / name
        path.write_bytes(b"x")
        # Newest file times on the oldest names: the order comes from the name.
        os.utime(path, (2_000_000_000 - number * 1000, 2_000_000_000 - number * 1000))
    (tmp_path / "skm-20200101-000000-sebelum-0001.sqlite3").mkdir()  # a folder, left alone

    removed = backup.prune_automatic(tmp_path)

    assert sorted(path.name for path in removed) == automatic[:2]
    assert files_in(tmp_path) == sorted(
        [*automatic[2:], *others, "skm-20200101-000000-sebelum-0001.sqlite3"]
    )


def test_an_upgrade_keeps_five_automatic_backups_with_its_own(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "cadangan"
    folder.mkdir()
    older = [f"skm-2025010{day}-080000-sebelum-0001.sqlite3" for day in range(1, 6)]
    for name in [*older, "skm-20240101-080000-manual.sqlite3", "baca saya.txt"]:
        (folder / name).write_bytes(b"x")
    old_installation(sqlite_engine)

    result = migrations.upgrade_schema(sqlite_engine, folder)

    assert result.backup is not None
    assert files_in(folder) == sorted(
        [*older[1:], result.backup.name, "skm-20240101-080000-manual.sqlite3", "baca saya.txt"]
    )


# --- From the command line ------------------------------------------------------


def test_skm_db_upgrade_names_the_copy_or_reminds_of_pg_dump(
    database_url: str, kind: str, tmp_path: Path
) -> None:
    engine = database.make_engine(database_url)
    instance = tmp_path / "instance"
    try:
        before = old_installation(engine)
        with cli_app(database_url, instance) as app:
            runner = app.test_cli_runner()
            result = runner.invoke(args=["db", "upgrade"])
            again = runner.invoke(args=["db", "upgrade"])
            init = runner.invoke(args=["init", "--admin-password", "rahasia-kantor-123"])
        assert stored_responses(engine) == before
    finally:
        engine.dispose()
    assert result.exit_code == 0, result.output
    first_line = result.output.splitlines()[0]
    if kind == "sqlite":
        copies = files_in(instance / "cadangan")
        assert len(copies) == 1
        path = instance / "cadangan" / copies[0]
        assert first_line == f"Basis data dicadangkan sebelum pembaruan skema: {path}"
        assert responses_in(path) == 4
        assert "pg_dump" not in result.output
    else:
        assert first_line.startswith("Pengingat: SKM tidak mencadangkan basis data PostgreSQL")
        assert "pg_dump --format=custom" in first_line
        assert not (instance / "cadangan").exists()
    # Nothing to migrate: nothing said about backups, no new copy.
    for output in (again.output, init.output):
        assert "dicadangkan" not in output
        assert "pg_dump" not in output
    assert len(files_in(instance / "cadangan")) == (1 if kind == "sqlite" else 0)


def test_skm_db_backup_copies_sqlite_and_refers_postgresql_to_pg_dump(
    database_url: str, kind: str, tmp_path: Path
) -> None:
    engine = database.make_engine(database_url)
    instance = tmp_path / "instance"
    try:
        before = old_installation(engine)
        with cli_app(database_url, instance) as app:
            result = app.test_cli_runner().invoke(args=["db", "backup"])
    finally:
        engine.dispose()
    if kind == "postgresql":
        url = make_url(database_url)
        assert result.exit_code == 1
        assert result.output.startswith(
            "Galat: SKM hanya mencadangkan basis data SQLite. Cadangkan basis data "
            "PostgreSQL dengan pg_dump, misalnya:\n  pg_dump --format=custom --file=skm-"
        )
        command = result.output.splitlines()[1]
        assert f"--host {url.host}" in command
        assert f"--username {url.username}" in command
        assert command.endswith(f" {url.database}")
        assert "Traceback" not in result.output
        assert not (instance / "cadangan").exists()
        return
    assert result.exit_code == 0, result.output
    copies = files_in(instance / "cadangan")
    assert len(copies) == 1 and MANUAL_NAME.fullmatch(copies[0])
    path = instance / "cadangan" / copies[0]
    assert result.output == f"Basis data dicadangkan ke {path}\n"
    assert responses_in(path) == 4
    with copy_engine(path) as copy:
        assert stored_responses(copy) == before


def test_skm_db_backup_to_a_file_or_folder_never_overwrites(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    old_installation(sqlite_engine)
    usb = tmp_path / "usb"
    with cli_app(str(sqlite_engine.url), tmp_path / "instance") as app:
        runner = app.test_cli_runner()
        to_file = runner.invoke(args=["db", "backup", "--to", str(usb / "skm-kamis.sqlite3")])
        to_folder = runner.invoke(args=["db", "backup", "--to", str(usb)])
        # A name without an extension that does not exist yet: a new folder.
        to_new_folder = runner.invoke(args=["db", "backup", "--to", str(usb / "juli")])
        again = runner.invoke(args=["db", "backup", "--to", str(usb / "skm-kamis.sqlite3")])
    assert to_file.exit_code == 0, to_file.output
    assert to_file.output == f"Basis data dicadangkan ke {usb / 'skm-kamis.sqlite3'}\n"
    assert to_folder.exit_code == 0, to_folder.output
    assert to_new_folder.exit_code == 0, to_new_folder.output
    in_folder = [name for name in files_in(usb) if MANUAL_NAME.fullmatch(name)]
    in_new_folder = files_in(usb / "juli")
    assert len(in_folder) == len(in_new_folder) == 1
    assert MANUAL_NAME.fullmatch(in_new_folder[0])
    assert responses_in(usb / "skm-kamis.sqlite3") == 4
    assert responses_in(usb / in_folder[0]) == responses_in(usb / "juli" / in_new_folder[0]) == 4

    content = (usb / "skm-kamis.sqlite3").read_bytes()
    assert again.exit_code == 1
    assert again.output == (
        f"Galat: Berkas {usb / 'skm-kamis.sqlite3'} sudah ada; tidak ditimpa. Pilih nama lain.\n"
    )
    assert (usb / "skm-kamis.sqlite3").read_bytes() == content
    assert not (tmp_path / "instance" / "cadangan").exists()


def test_skm_db_backup_of_a_database_not_made_yet_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "belum.sqlite3"
    with cli_app(f"sqlite:///{missing}", tmp_path / "instance") as app:
        result = app.test_cli_runner().invoke(args=["db", "backup"])
    assert result.exit_code == 1
    assert result.output == (
        f"Galat: Basis data {missing} belum ada; jalankan 'skm init' untuk membuatnya.\n"
    )
    assert not missing.exists()
    assert not (tmp_path / "instance" / "cadangan").exists()
