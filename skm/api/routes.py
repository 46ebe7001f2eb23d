"""``/api/v1``: responses in, IKM out, for other systems (see docs/openapi.yaml).

Errors are JSON ``{"error": code, "message": "...", "errors": {field: "..."}}``
in Indonesian: 400 unreadable JSON, 401 no or wrong token, 404 unknown unit,
409 a UUID already used for another unit or stored with other answers
(logged for staff), 413 too large, 422 invalid fields, 429 too many
requests (with ``Retry-After``); 503/507 with ``Retry-After`` when the
database is locked, unreachable or full (skm/errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, jsonify, request
from flask import Response as FlaskResponse
from sqlalchemy.orm import Session

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database, ratelimit
from skm.api.auth import token_of_request
from skm.api.ikm import ikm_response, stored_population
from skm.config import office_timezone
from skm.delivery import Survey, log_conflict, parse_json, submit_survey
from skm.ikm import Scope, score
from skm.limits import API_BODY_BYTES, parse_id
from skm.models import CHANNELS, Layanan, Unit
from skm.models.api import ApiToken
from skm.periode import Periode, PeriodeError
from skm.responses import DeliveryConflict, ResponseError, SessionReferences, stored_id
from skm.units import in_subtree

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_BODY_BYTES = API_BODY_BYTES
#: More people than live in Indonesia is a typing error.
MAX_POPULATION = 1_000_000_000
DEFAULT_CHANNEL = "import"


def _error(status: int, code: str, message: str, **extra: Any) -> FlaskResponse:
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="skm"'
    return response


def _invalid(errors: dict[str, str]) -> FlaskResponse:
    return _error(422, "invalid", "Data tidak dapat diproses.", errors=errors)


def _authorised() -> tuple[ApiToken | None, FlaskResponse | None]:
    """The request's token, or the 401/429 answer to give instead."""
    token = token_of_request(database.session())
    if token is None:
        return None, _error(
            401,
            "unauthorized",
            "Token API tidak ada, salah, atau sudah dicabut. "
            "Kirim header 'Authorization: Bearer <token>'.",
        )
    wait = ratelimit.check("API", str(token.id))
    if wait is not None:
        retry = ratelimit.retry_after_header(wait)
        response = _error(
            429,
            "rate-limit",
            f"Terlalu banyak permintaan. Coba lagi dalam {retry} detik.",
            retry_after=int(retry),
        )
        response.headers["Retry-After"] = retry
        return None, response
    return token, None


def _unit_in_scope(token: ApiToken, slug: Any) -> Unit | None:
    """The unit named ``slug`` if the token may use it (its unit or a sub-unit)."""
    if not isinstance(slug, str) or not slug:
        return None
    unit = database.session().scalar(sa.select(Unit).where(Unit.slug == slug))
    if unit is None or not in_subtree(unit, token.unit):
        return None
    return unit


@bp.after_request
def _no_store(response: FlaskResponse) -> FlaskResponse:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.post("/responses")
def post_response() -> FlaskResponse:
    """Store one completed questionnaire; the same UUID again answers 200 and stores nothing."""
    token, refusal = _authorised()
    if refusal is not None:
        return refusal
    assert token is not None
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _error(413, "too-large", "Data terlalu besar (paling banyak 64 KB).")
    payload = request.get_json(force=True, silent=True)
    if payload is None:
        return _error(400, "json", "Badan permintaan bukan JSON yang sah.")
    if not isinstance(payload, dict):
        return _invalid({"data": "Data harus berupa objek JSON."})

    now = datetime.now(UTC)
    unit, channel, survey, errors = _delivery(token, payload, now)
    if errors or survey is None or unit is None:
        return _invalid(errors)
    return _stored(token, survey, unit, channel, now)


def _delivery(
    token: ApiToken, payload: dict[str, Any], now: datetime
) -> tuple[Unit | None, str, Survey | None, dict[str, str]]:
    """The unit, channel and survey of a delivery, and what is wrong with them."""
    errors: dict[str, str] = {}
    unit = _unit_in_scope(token, payload.get("unit"))
    if unit is None:
        errors["unit"] = (
            "Unit layanan wajib diisi dengan alamat (slug) unit yang ada dalam cakupan token ini."
        )
    channel = payload.get("channel", DEFAULT_CHANNEL)
    if channel not in CHANNELS:
        errors["channel"] = f"Saluran harus salah satu dari: {', '.join(CHANNELS)}."
    try:
        survey = parse_json(payload, get_instrument(DEFAULT_INSTRUMENT_KEY), now)
    except ResponseError as error:
        errors.update(error.errors)
        survey = None
    return unit, channel, survey, errors


def _stored(
    token: ApiToken, survey: Survey, unit: Unit, channel: str, now: datetime
) -> FlaskResponse:
    """Store a valid delivery: 201 created, 200 already stored, 409 other answers."""
    session = database.session()
    try:
        submitted = submit_survey(
            session.connection(),
            survey,
            unit_id=unit.id,
            channel=channel,
            received_at=now,
            require_layanan=False,
            references=SessionReferences(session),
        )
        session.commit()
    except ResponseError as error:
        session.rollback()
        return _invalid(error.errors)
    except DeliveryConflict as conflict:
        session.rollback()
        with database.engine().connect() as connection:
            log_conflict(
                connection,
                conflict,
                unit_id=unit.id,
                source=f"token API {token.name}",
                address=ratelimit.client_address(),
            )
        return _error(409, "conflict", conflict.message)
    response = jsonify(
        {
            "status": "created" if submitted.created else "duplicate",
            "uuid": str(submitted.uuid),
            "id": stored_id(session.connection(), submitted.uuid),
        }
    )
    response.status_code = 201 if submitted.created else 200
    return response


def _flag(name: str, default: bool) -> bool | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    return {"1": True, "true": True, "ya": True, "0": False, "false": False, "tidak": False}.get(
        raw.strip().lower()
    )


@dataclass(frozen=True)
class _IkmQuery:
    """The parameters of ``GET /ikm`` as read; None where missing or wrong."""

    slug: str
    unit: Unit | None
    periode: Periode | None
    include_subunits: bool | None
    layanan: Layanan | None
    population: int | None


def _ikm_query(token: ApiToken, session: Session) -> tuple[_IkmQuery, dict[str, str]]:
    """Read and check the parameters of ``GET /ikm``, with a message per wrong one."""
    errors: dict[str, str] = {}
    slug = request.args.get("unit", "").strip()
    unit = None
    if not slug:
        errors["unit"] = "Parameter unit wajib diisi dengan alamat (slug) unit."
    else:
        unit = _unit_in_scope(token, slug)
    code = request.args.get("periode", "").strip()
    periode = None
    if not code:
        errors["periode"] = "Parameter periode wajib diisi, mis. 2025-T1, 2025-S1 atau 2025."
    else:
        try:
            periode = Periode.parse(code)
        except PeriodeError as error:
            errors["periode"] = str(error)
    include_subunits = _flag("subunit", True)
    if include_subunits is None:
        errors["subunit"] = "Parameter subunit harus 1 (ya) atau 0 (tidak)."
    population = None
    raw_population = request.args.get("populasi", "").strip()
    if raw_population:
        population = parse_id(raw_population, MAX_POPULATION)
        if population is None:
            errors["populasi"] = "Populasi harus bilangan bulat 1 atau lebih."
    layanan = None
    raw_layanan = request.args.get("layanan", "").strip()
    if raw_layanan and unit is not None:
        layanan_id = parse_id(raw_layanan)
        layanan = session.get(Layanan, layanan_id) if layanan_id is not None else None
        if layanan is None or not in_subtree(layanan.unit, unit):
            errors["layanan"] = "Jenis layanan tidak dikenal untuk unit ini."
    query = _IkmQuery(slug, unit, periode, include_subunits, layanan, population)
    return query, errors


@bp.get("/ikm")
def get_ikm() -> FlaskResponse:
    """The IKM of a unit (with its sub-units) for a triwulan, semester or year."""
    token, refusal = _authorised()
    if refusal is not None:
        return refusal
    assert token is not None
    session = database.session()
    query, errors = _ikm_query(token, session)
    if errors:
        return _invalid(errors)
    if query.unit is None:
        return _error(
            404, "not-found", f"Unit '{query.slug}' tidak ditemukan dalam cakupan token ini."
        )
    unit, periode, include_subunits = query.unit, query.periode, query.include_subunits
    layanan, population = query.layanan, query.population
    assert periode is not None and include_subunits is not None

    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    scope = Scope(
        unit=unit,
        include_subunits=include_subunits,
        layanan_id=layanan.id if layanan is not None else None,
    )
    result = score(session, instrument, periode, office_timezone(), scope)
    if population is None and include_subunits and layanan is None:
        # Staff enter the population of a unit with its sub-units, all layanan together.
        population = stored_population(session, unit, periode)
    return jsonify(
        ikm_response(
            instrument=instrument,
            unit=unit,
            periode=periode,
            include_subunits=include_subunits,
            layanan=layanan,
            result=result,
            population=population,
        )
    )
