"""The database, its -wal/-shm files, backups, the secret key and the instance folder
are readable by the account running SKM only (0600 files, 0700 folders)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from skm import create_app, database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows has no POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():
    """The usual umask (022), which makes new files world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_installation_is_private(tmp_path: Path, loose_umask) -> None:
    instance = tmp_path / "instance"
    url = f"sqlite:///{instance / 'skm.sqlite3'}"
    app = create_app({"INSTANCE_PATH": instance, "TESTING": True, "SKM_DATABASE_URL": url})
    try:
        runner = app.test_cli_runner()
        result = runner.invoke(args=["init", "--admin-password", "meja-hujan-kopi-pagi"])
        assert result.exit_code == 0, result.output
        with app.app_context():  # a write, so that SQLite keeps its -wal file open
            engine = database.engine()
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT count(*) FROM unit"))
                files = sorted(p.name for p in instance.iterdir())
                assert {"skm.sqlite3", "skm.sqlite3-wal", "skm.sqlite3-shm"} <= set(files)
                for name in ("skm.sqlite3", "skm.sqlite3-wal", "skm.sqlite3-shm", "secret_key"):
                    assert mode(instance / name) == 0o600, name
        assert mode(instance) == 0o700
        backup = runner.invoke(args=["db", "backup"])
        assert backup.exit_code == 0, backup.output
        folder = instance / "cadangan"
        assert mode(folder) == 0o700
        (copy,) = folder.iterdir()
        assert mode(copy) == 0o600
        elsewhere = tmp_path / "salinan.sqlite3"
        assert runner.invoke(args=["db", "backup", "--to", str(elsewhere)]).exit_code == 0
        assert mode(elsewhere) == 0o600
    finally:
        app.extensions["skm.engine"].dispose()


def test_an_existing_folder_keeps_its_mode(tmp_path: Path, loose_umask) -> None:
    """SKM sets modes on what it creates; a folder the office made is theirs."""
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o750)
    instance.chmod(0o750)
    url = f"sqlite:///{instance / 'skm.sqlite3'}"
    app = create_app({"INSTANCE_PATH": instance, "TESTING": True, "SKM_DATABASE_URL": url})
    app.extensions["skm.engine"].dispose()
    assert mode(instance) == 0o750


def test_an_upload_waiting_for_confirmation_is_private(tmp_path: Path, loose_umask) -> None:
    from skm.paper.pending import PendingImport, save_pending

    folder = tmp_path / "instance" / "impor"
    pending = PendingImport(1, 1, "permenpan-14-2017", 1, "2026-T1", "tabulasi.csv")
    token = save_pending(folder, pending, b"No;U1\n1;4\n")
    assert mode(folder) == 0o700
    assert mode(folder / f"{token}.upload") == 0o600
