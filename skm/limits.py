"""What the application accepts at the door: body sizes, ids, text without NUL.

Checked once for every request, before any view (and before the CSRF check
reads a form), so that no view has to remember them:

* a body larger than its route's limit is refused with 413 from its
  ``Content-Length`` alone, before it is read; a body without one is cut
  off by Werkzeug at the same limit while it is read;
* an id in a URL is matched by the ``int`` converter only within the range
  of its column (:data:`ID_MAX`; ``bigid`` for the BIGINT columns), so an
  id no row can have answers 404 instead of an overflow in the driver;
* a NUL character in a query parameter, a form field or a JSON string is
  refused with 400: PostgreSQL cannot store or compare text holding one.

Refusals speak Indonesian, as JSON to a JSON client and as a page otherwise.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

#: The largest id of an INTEGER column on PostgreSQL (SQLite's are 64-bit,
#: so this is the smaller range of the two).
ID_MAX = 2**31 - 1
#: The largest id of a BIGINT column (responses, audit entries).
BIG_ID_MAX = 2**63 - 1

KB = 1024
MB = 1024 * KB

#: A tabulation upload: the file (skm.paper.imports.MAX_FILE_BYTES) and its form.
UPLOAD_BODY_BYTES = 11 * MB
#: Any other form of a signed-in member of staff (a report narrative is the longest).
STAFF_BODY_BYTES = 1 * MB
#: What anyone may post without signing in: a survey form, the sign-in form.
ANONYMOUS_BODY_BYTES = 64 * KB
#: A survey delivered as JSON by a kiosk or a phone (one with a full saran is ~5 KB).
SURVEY_JSON_BODY_BYTES = 32 * KB
#: A response delivered through the API.
API_BODY_BYTES = 64 * KB

#: Endpoints whose body is a file upload.
UPLOAD_ENDPOINTS = frozenset({"paper.import_upload"})
#: Endpoints that take a survey or a heartbeat as JSON.
SURVEY_JSON_ENDPOINTS = frozenset(
    {"kiosk.survey_submit", "kiosk.kiosk_submit", "kiosk.kiosk_heartbeat"}
)


class IdConverter(IntegerConverter):
    """``<int:...>`` for ids of INTEGER columns: larger numbers match no route (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


class BigIdConverter(IntegerConverter):
    """``<bigid:...>`` for ids of BIGINT columns (64-bit on both databases)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", BIG_ID_MAX)
        super().__init__(map, *args, **kwargs)


def parse_id(raw: Any, maximum: int = ID_MAX) -> int | None:
    """A row id typed by someone (a query parameter, a form field), or None.

    None for anything but digits, and for a number no id column can hold:
    looking it up would fail in the database driver instead of finding nothing.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        return None
    return value if 0 < value <= maximum else None


def body_limit() -> int:
    """The largest body the current request's route accepts."""
    endpoint = request.endpoint or ""
    if endpoint in UPLOAD_ENDPOINTS:
        return UPLOAD_BODY_BYTES
    if endpoint in SURVEY_JSON_ENDPOINTS:
        return SURVEY_JSON_BODY_BYTES
    if endpoint.startswith("api."):
        return API_BODY_BYTES
    if current_user.is_authenticated:
        return STAFF_BODY_BYTES
    return ANONYMOUS_BODY_BYTES


def wants_json() -> bool:
    """Whether the caller reads JSON: the API, the survey's delivery endpoints, a JSON request."""
    return (
        (request.endpoint or "").startswith("api.")
        or request.endpoint in SURVEY_JSON_ENDPOINTS
        or request.path.startswith("/api/")
        or request.is_json
        or request.accept_mimetypes.best == "application/json"
    )


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class NulCharacter(BadRequest):
    description = (
        "Isian berisi karakter NUL (kode 0) yang tidak dapat disimpan. "
        "Hapus karakter itu lalu kirim lagi."
    )


def _check_request() -> None:
    limit = body_limit()
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        parts: list[Any] = [request.args.to_dict(flat=False)]
    else:
        parts = [request.args.to_dict(flat=False), request.form.to_dict(flat=False)]
        if request.is_json or wants_json():
            parts.append(request.get_json(force=True, silent=True))
    if any(_has_nul(part) for part in parts):
        raise NulCharacter()


def _size_text(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit // KB} KB"


def _refusal(error: HTTPException, code: str, message: str) -> tuple[Any, int]:
    status = error.code or 400
    if wants_json():
        response = jsonify({"error": code, "message": message})
        response.status_code = status
        return response, status
    return render_template("input_error.html", message=message, status=status), status


def _too_large(error: RequestEntityTooLarge) -> tuple[Any, int]:
    limit = request.max_content_length or body_limit()
    return _refusal(
        error,
        "too-large",
        f"Data yang dikirim terlalu besar (paling banyak {_size_text(limit)}).",
    )


def _nul(error: NulCharacter) -> tuple[Any, int]:
    return _refusal(error, "nul", str(error.description))


def init_app(app: Flask) -> None:
    """Register the converters and the door check; call before any blueprint or CSRF."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["bigid"] = BigIdConverter
    app.before_request(_check_request)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(NulCharacter, _nul)


#: No list has this many pages; a larger number would overflow the OFFSET.
MAX_PAGE = 100_000


def page_arg(name: str = "halaman") -> int:
    """The page number of a paged list from the query string: 1 for anything unreadable."""
    value = parse_id(request.args.get(name, ""), MAX_PAGE)
    return value or 1
