"""Files only the account running SKM may read: the database, its backups, the secret key.

The SQLite file holds every saran and the staff's password hashes; on a PC
shared by several Windows or Linux accounts, a world-readable copy (0644,
what the default umask gives) is a leak. Files SKM creates are made 0600
from the start, and folders it creates (the instance folder, ``cadangan``)
0700. SQLite makes its ``-wal`` and ``-shm`` files with the mode of the
database file, so they follow. Windows has no POSIX modes: there the
calls change nothing and the folder's own permissions apply.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path: Path) -> None:
    """Create ``path`` (and its parents) if missing; a folder made here is 0700."""
    if path.is_dir():
        return
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # the umask may have taken bits; set them exactly
        path.chmod(PRIVATE_FOLDER)


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 if it does not exist; True if it was created."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    os.close(descriptor)
    return True


def sqlite_database_file(database: str | None) -> Path | None:
    """The file of a SQLite URL's database part, or None (in memory, a ``file:`` URI)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)
