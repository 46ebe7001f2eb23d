"""Uploaded tabulations waiting for the operator's confirmation.

Between the preview and "Simpan" the file is kept in the instance folder
(never in the database: nothing is stored until the operator confirms),
under a random token bound to the operator who uploaded it. Files older
than a day are removed whenever a new file is uploaded.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from skm.filemodes import create_private_file, private_folder

MAX_AGE_SECONDS = 24 * 3600

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class PendingImport:
    user_id: int
    unit_id: int
    instrument_key: str
    instrument_version: int
    periode_code: str
    filename: str
    default_layanan_id: int | None = None
    #: Column index (as text, JSON keys) -> target chosen in the preview.
    columns: dict[str, str] = field(default_factory=dict)


def _paths(folder: Path, token: str) -> tuple[Path, Path]:
    return folder / f"{token}.json", folder / f"{token}.upload"


def save_pending(folder: Path, pending: PendingImport, content: bytes) -> str:
    """Keep an upload; returns the token that names it."""
    private_folder(folder)
    purge_old(folder)
    token = secrets.token_urlsafe(24)
    meta_path, content_path = _paths(folder, token)
    # An uploaded tabulation holds citizens' answers and saran: 0600 like the database.
    create_private_file(content_path)
    content_path.write_bytes(content)
    meta_path.write_text(json.dumps(asdict(pending)), encoding="utf-8")
    return token


def load_pending(folder: Path, token: str, user_id: int) -> tuple[PendingImport, bytes] | None:
    """The upload named by ``token`` if it exists and belongs to ``user_id``."""
    if not _TOKEN.match(token):
        return None
    meta_path, content_path = _paths(folder, token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        content = content_path.read_bytes()
    except (OSError, ValueError):
        return None
    pending = PendingImport(**meta)
    if pending.user_id != user_id:
        return None
    return pending, content


def discard_pending(folder: Path, token: str) -> None:
    if not _TOKEN.match(token):
        return
    for path in _paths(folder, token):
        path.unlink(missing_ok=True)


def purge_old(folder: Path, max_age: float = MAX_AGE_SECONDS) -> None:
    cutoff = time.time() - max_age
    for path in folder.glob("*.*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
