"""A database that is locked, unreachable or full answers 503 or 507, never a 500.

Whatever the request was doing, such a failure stored nothing it had not
committed, so the client may simply try again: the kiosk's queue keeps the
survey and sends it after ``Retry-After`` (static/kiosk/survey.js), an API
client is told the same. A response is 2xx only after its commit returned,
so a 2xx always has its row.

- 503, ``unavailable``: SQLite held by another writer for longer than its
  ``busy_timeout`` ("database is locked"), PostgreSQL down or the
  connection ended (``pg_terminate_backend``, a restart), the pool
  exhausted. The next request gets a fresh connection (``pool_pre_ping``,
  skm/database.py), so the server recovers by itself.
- 507, ``disk-full``: SQLite's "database or disk is full", PostgreSQL's
  ``disk_full`` (SQLSTATE 53100), or any ``ENOSPC`` while writing a file.
"""

from __future__ import annotations

import errno
import logging

import sqlalchemy as sa
from flask import Flask, jsonify, render_template, request
from flask import Response as FlaskResponse

logger = logging.getLogger(__name__)

#: Seconds a client is told to wait: a lock or a reconnect is over in seconds,
#: freeing disk space needs a person.
UNAVAILABLE_RETRY_SECONDS = 10
DISK_FULL_RETRY_SECONDS = 60

_POSTGRES_DISK_FULL = "53100"


def _disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == _POSTGRES_DISK_FULL:
        return True
    if getattr(original, "sqlite_errorname", None) == "SQLITE_FULL":
        return True
    return "database or disk is full" in str(original)


def _unavailable(error: BaseException) -> bool:
    """A failure of the database rather than of the request (which would be a 500)."""
    if isinstance(error, sa.exc.OperationalError | sa.exc.TimeoutError):
        return True
    return isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated


def _wants_json() -> bool:
    if request.path.startswith("/api/") or request.path.endswith(("/kirim", "/detak", "/_token")):
        return True
    return request.is_json or request.accept_mimetypes.best == "application/json"


def database_failure(error: BaseException) -> FlaskResponse:
    """503 or 507 with ``Retry-After`` and an Indonesian message; other errors go on to a 500."""
    full = _disk_full(error)
    if not full and not _unavailable(error):
        raise error
    if full:
        status, code, retry = 507, "disk-full", DISK_FULL_RETRY_SECONDS
        title = "Penyimpanan server penuh"
        message = (
            "Ruang penyimpanan server penuh, jadi data belum tersimpan. "
            f"Coba lagi dalam {retry} detik; beri tahu petugas agar ruang diska dikosongkan."
        )
    else:
        status, code, retry = 503, "unavailable", UNAVAILABLE_RETRY_SECONDS
        title = "Server sedang sibuk"
        message = (
            "Basis data sedang sibuk atau tidak tersambung, jadi data belum tersimpan. "
            f"Coba lagi dalam {retry} detik."
        )
    logger.warning("%s %s: %d %s (%s)", request.method, request.path, status, code, error)
    if _wants_json():
        response = jsonify({"error": code, "message": message, "retry_after": retry})
    else:
        # A page of its own: the staff layout reads the signed-in user from the database.
        response = FlaskResponse(
            render_template("errors/unavailable.html", title=title, message=message)
        )
    response.status_code = status
    response.headers["Retry-After"] = str(retry)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    for kind in (sa.exc.DBAPIError, sa.exc.TimeoutError, OSError):
        app.register_error_handler(kind, database_failure)
