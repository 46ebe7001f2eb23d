"""The citizen's survey: on a phone (``/survei/<unit>``) and on a kiosk (``/kiosk/<token>``).

Each survey page works as one plain form without JavaScript; survey.js
turns it into one question per screen and delivers through an offline
queue to the ``.../kirim`` JSON endpoints. Both ways end in
:func:`skm.delivery.submit_survey`.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import Response as FlaskResponse
from flask_wtf.csrf import CSRFError, generate_csrf
from itsdangerous import BadSignature

from questionnaires import DEFAULT_INSTRUMENT_KEY, Instrument, get_instrument
from skm import database, flagging, ratelimit, reference
from skm.delivery import (
    Submitted,
    Survey,
    instrument_spec,
    log_conflict,
    mark_delivery,
    parse_form,
    parse_json,
    read_start_token,
    start_token,
    submit_survey,
)
from skm.kiosk.kiosks import kiosk_by_token, record_heartbeat
from skm.limits import parse_id
from skm.models import Layanan, Unit
from skm.models.kiosk import Kiosk
from skm.reference import KioskRef
from skm.responses import SARAN_MAX_LENGTH, DeliveryConflict, ResponseError
from skm.units import active_layanan

bp = Blueprint("kiosk", __name__)

#: Larger bodies are refused before parsing; a survey with a full saran is ~5 KB.
MAX_BODY_BYTES = 32 * 1024

#: A kiosk's "last delivery" is written at most this often: under load, one
#: more write per response would halve what SQLite can take.
DELIVERY_MARK_INTERVAL = timedelta(seconds=10)


def _now() -> datetime:
    return datetime.now(UTC)


def _instrument() -> Instrument:
    return get_instrument(DEFAULT_INSTRUMENT_KEY)


def _unit_or_404(slug: str) -> Unit:
    unit = database.session().scalar(sa.select(Unit).where(Unit.slug == slug))
    if unit is None:
        abort(404)
    return unit


def _kiosk_or_404(token: str) -> Kiosk:
    kiosk = kiosk_by_token(database.session(), token)
    if kiosk is None:
        abort(404)
    return kiosk


def _json_error(status: int, code: str, message: str, **extra: Any) -> FlaskResponse:
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def _rate_limited(wait: float) -> FlaskResponse:
    retry = ratelimit.retry_after_header(wait)
    response = _json_error(
        429,
        "rate-limit",
        f"Terlalu banyak kiriman. Coba lagi dalam {retry} detik.",
        retry_after=int(retry),
    )
    response.headers["Retry-After"] = retry
    return response


# --- pages -------------------------------------------------------------------


def _survey_page(
    unit: Unit,
    *,
    kiosk: Kiosk | None = None,
    preset_layanan: Layanan | None = None,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    message: str | None = None,
    status: int = 200,
) -> FlaskResponse:
    session = database.session()
    instrument = _instrument()
    layanan = active_layanan(session, unit.id)
    fixed = kiosk.layanan if kiosk is not None and kiosk.layanan_id else preset_layanan
    values = values or {}
    # The plain form keeps its UUID and start time across a re-display, so
    # that pressing Kirim twice stores one response.
    mulai = values.get("mulai", "")
    try:
        read_start_token(current_app.secret_key, mulai)  # type: ignore[arg-type]
    except (BadSignature, ValueError):
        mulai = start_token(current_app.secret_key, uuid_module.uuid4())  # type: ignore[arg-type]
    if kiosk is not None:
        urls = {
            "action": url_for("kiosk.kiosk_form", token=kiosk.token),
            "submit": url_for("kiosk.kiosk_submit", token=kiosk.token),
            "heartbeat": url_for("kiosk.kiosk_heartbeat", token=kiosk.token),
        }
    else:
        urls = {
            "action": url_for("kiosk.survey_form", slug=unit.slug),
            "submit": url_for("kiosk.survey_submit", slug=unit.slug),
            "heartbeat": "",
        }
    urls["token"] = url_for("kiosk.csrf_token")
    questions = sorted(instrument.questions, key=lambda q: q.number)
    # Errors listed in the order of the form, as a person reads it.
    order = ["mulai", "instrument", "layanan"]
    order += [field.key for field in instrument.profile]
    order += [question.unsur_key for question in questions] + ["saran"]
    listed = sorted((errors or {}).items(), key=lambda item: _position(order, item[0]))
    config = current_app.config
    page = render_template(
        "kiosk/survey.html",
        unit=unit,
        kiosk=kiosk,
        mode="kiosk" if kiosk is not None else "web",
        instrument=instrument,
        instrument_spec=instrument_spec(instrument),
        questions=questions,
        layanan=layanan,
        fixed_layanan=fixed,
        values=values,
        errors=dict(listed),
        message=message,
        mulai=mulai,
        urls=urls,
        saran_max=SARAN_MAX_LENGTH,
        idle_seconds=config["SKM_KIOSK_IDLE_SECONDS"],
        countdown_seconds=config["SKM_KIOSK_COUNTDOWN_SECONDS"],
        thanks_seconds=config["SKM_SURVEY_THANKS_SECONDS"],
        heartbeat_seconds=config["SKM_KIOSK_HEARTBEAT_SECONDS"],
    )
    return make_response(page, status)


def _position(order: list[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


def _preset_layanan(unit: Unit) -> Layanan | None:
    """``?layanan=<id>``: a QR code printed for one counter's layanan."""
    layanan_id = parse_id(request.args.get("layanan", ""))
    if layanan_id is None:
        return None
    layanan = database.session().get(Layanan, layanan_id)
    if layanan is None or layanan.unit_id != unit.id or not layanan.active:
        return None
    return layanan


@bp.get("/survei/<slug>")
def survey(slug: str) -> FlaskResponse:
    """The survey of one unit, as a phone opens it from the QR code."""
    unit = _unit_or_404(slug)
    return _survey_page(unit, preset_layanan=_preset_layanan(unit))


@bp.get("/kiosk/<token>")
def kiosk_page(token: str) -> FlaskResponse:
    """The survey on a kiosk tablet: nothing else is reachable from it."""
    kiosk = _kiosk_or_404(token)
    if not kiosk.active:
        return make_response(render_template("kiosk/closed.html", kiosk=kiosk), 410)
    return _survey_page(kiosk.unit, kiosk=kiosk)


@bp.get("/survei/<slug>/terima-kasih")
def survey_thanks(slug: str) -> FlaskResponse:
    """Thank-you page of the plain form; returns to a fresh survey by itself."""
    unit = _unit_or_404(slug)
    again = url_for("kiosk.survey", slug=unit.slug)
    return make_response(render_template("kiosk/thanks.html", unit=unit, again=again))


@bp.get("/kiosk/<token>/terima-kasih")
def kiosk_thanks(token: str) -> FlaskResponse:
    """Thank-you page of the kiosk's plain form."""
    kiosk = _kiosk_or_404(token)
    again = url_for("kiosk.kiosk_page", token=kiosk.token)
    return make_response(render_template("kiosk/thanks.html", unit=kiosk.unit, again=again))


@bp.get("/survei/_token")
def csrf_token() -> FlaskResponse:
    """A fresh CSRF token for a page that has been open longer than its token lives."""
    wait = ratelimit.check("TOKEN", ratelimit.client_key())
    if wait is not None:
        return _rate_limited(wait)
    return jsonify({"csrf_token": generate_csrf()})


# --- the plain form (no JavaScript) --------------------------------------------


def _store(survey: Survey, unit_id: int, kiosk: KioskRef | None, now: datetime) -> Submitted:
    """Check, flag, store and commit; the unit and layanan come from memory (see reference)."""
    connection = database.connection()
    submitted = submit_survey(
        connection,
        survey,
        unit_id=unit_id,
        channel="kiosk" if kiosk is not None else "web",
        received_at=now,
        kiosk=kiosk,
        address_burst=_address_burst(kiosk),
        references=reference.CachedReferences(connection),
    )
    if kiosk is not None:
        marks = reference.cache().delivery_marks
        last = marks.get(kiosk.id)
        if last is None or now - last >= DELIVERY_MARK_INTERVAL:
            marks[kiosk.id] = now
            mark_delivery(connection, kiosk.id, now)
    connection.commit()
    return submitted


def _log_conflict(conflict: DeliveryConflict, unit_id: int, kiosk: KioskRef | None) -> None:
    connection = database.connection()
    source = "survei ponsel/web"
    if kiosk is not None:
        # As staff know it; rare enough for one more query.
        name = connection.scalar(sa.select(Kiosk.name).where(Kiosk.id == kiosk.id))
        source = f"kios {name}"
    log_conflict(
        connection,
        conflict,
        unit_id=unit_id,
        source=source,
        address=ratelimit.client_address(),
    )


def _limited(kiosk: KioskRef | None) -> float | None:
    if kiosk is not None:
        return ratelimit.check("KIOSK", kiosk.token)
    return ratelimit.check("ADDRESS", ratelimit.client_key())


def _submit_form(
    unit: Unit, kiosk: KioskRef | None = None, page_kiosk: Kiosk | None = None
) -> FlaskResponse:
    """Store the plain form; ``page_kiosk`` is the kiosk row, to show the form again."""
    wait = _limited(kiosk)
    if wait is not None:
        retry = ratelimit.retry_after_header(wait)
        page = _survey_page(
            unit,
            kiosk=page_kiosk,
            values=request.form,
            message=f"Terlalu banyak kiriman dari perangkat ini. Jawaban Anda masih ada; "
            f"tekan Kirim lagi setelah {retry} detik.",
            status=429,
        )
        page.headers["Retry-After"] = retry
        return page
    now = _now()
    try:
        survey = parse_form(request.form, current_app.secret_key, _instrument(), now)  # type: ignore[arg-type]
        _store(survey, unit.id, kiosk, now)
    except ResponseError as error:
        database.connection().rollback()
        return _survey_page(
            unit,
            kiosk=page_kiosk,
            values=request.form,
            errors=error.errors,
            message="Ada isian yang perlu dilengkapi. Periksa tanda merah di bawah.",
            status=422,
        )
    except DeliveryConflict as conflict:
        _log_conflict(conflict, unit.id, kiosk)
        return _survey_page(unit, kiosk=page_kiosk, message=conflict.message, status=409)
    if kiosk is not None:
        return redirect(url_for("kiosk.kiosk_thanks", token=kiosk.token), 303)  # type: ignore[return-value]
    return redirect(url_for("kiosk.survey_thanks", slug=unit.slug), 303)  # type: ignore[return-value]


def _address_burst(kiosk: KioskRef | None) -> int:
    """Web surveys from this address in the last minute (a kiosk is judged by its times)."""
    if kiosk is not None:
        return 0
    key = "ADDRESS:" + ratelimit.client_key()
    return ratelimit.limiter().recent(key, flagging.BURST_WINDOW_SECONDS)


@bp.post("/survei/<slug>")
def survey_form(slug: str) -> FlaskResponse:
    """Store the plain form of a phone survey."""
    return _submit_form(_unit_or_404(slug))


@bp.post("/kiosk/<token>")
def kiosk_form(token: str) -> FlaskResponse:
    """Store the plain form of a kiosk survey."""
    kiosk = _kiosk_or_404(token)
    if not kiosk.active:
        return make_response(render_template("kiosk/closed.html", kiosk=kiosk), 410)
    ref = reference.kiosk_ref(database.connection(), token)
    assert ref is not None
    return _submit_form(kiosk.unit, ref, kiosk)


# --- JSON: the one-question-per-screen flow and its offline queue --------------


def _submit_json(unit_id: int, kiosk: KioskRef | None) -> FlaskResponse:
    wait = _limited(kiosk)
    if wait is not None:
        return _rate_limited(wait)
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _json_error(413, "too-large", "Data survei terlalu besar.")
    payload = request.get_json(force=True, silent=True)
    if payload is None:
        return _json_error(400, "json", "Data survei bukan JSON yang sah.")
    now = _now()
    try:
        survey = parse_json(payload, _instrument(), now)
        submitted = _store(survey, unit_id, kiosk, now)
    except ResponseError as error:
        database.connection().rollback()
        return _json_error(422, "invalid", "Data survei tidak dapat disimpan.", errors=error.errors)
    except DeliveryConflict as conflict:
        _log_conflict(conflict, unit_id, kiosk)
        return _json_error(409, "conflict", conflict.message)
    body = {
        "status": "created" if submitted.created else "duplicate",
        "uuid": str(submitted.uuid),
    }
    response = jsonify(body)
    response.status_code = 201 if submitted.created else 200
    return response


@bp.post("/survei/<slug>/kirim")
def survey_submit(slug: str) -> FlaskResponse:
    """Store one phone survey (JSON); the same UUID again answers 200 and stores nothing."""
    unit = reference.unit_by_slug(database.connection(), slug)
    if unit is None:
        return _json_error(404, "not-found", "Unit layanan tidak ditemukan.")
    return _submit_json(unit.id, None)


@bp.post("/kiosk/<token>/kirim")
def kiosk_submit(token: str) -> FlaskResponse:
    """Store one kiosk survey (JSON), usually from the kiosk's delivery queue."""
    connection = database.connection()
    kiosk = reference.kiosk_ref(connection, token)
    if kiosk is None:
        return _json_error(404, "not-found", "Kios tidak dikenal.")
    if not kiosk.active:
        return _json_error(410, "closed", "Kios ini sudah ditutup oleh petugas.")
    unit = reference.unit_by_id(connection, kiosk.unit_id)
    if unit is None:
        return _json_error(404, "not-found", "Unit layanan kios ini tidak ditemukan.")
    return _submit_json(unit.id, kiosk)


@bp.post("/kiosk/<token>/detak")
def kiosk_heartbeat(token: str) -> FlaskResponse:
    """The kiosk reports in: it is on, and this many responses wait in its queue."""
    session = database.session()
    kiosk = kiosk_by_token(session, token)
    if kiosk is None:
        return _json_error(404, "not-found", "Kios tidak dikenal.")
    wait = ratelimit.check("HEARTBEAT", token)  # the kiosk's own: found by it
    if wait is not None:
        return _rate_limited(wait)
    payload = request.get_json(force=True, silent=True)
    if not isinstance(payload, dict):
        return _json_error(400, "json", "Data detak bukan JSON yang sah.")
    counts = {}
    for name in ("queue_length", "rejected"):
        value = payload.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
            return _json_error(422, "invalid", f"{name} harus bilangan bulat 0 atau lebih.")
        counts[name] = value
    record_heartbeat(session, kiosk, _now(), counts["queue_length"], counts["rejected"])
    session.commit()
    if not kiosk.active:
        return _json_error(410, "closed", "Kios ini sudah ditutup oleh petugas.")
    return jsonify({"status": "ok", "active": True})


# --- an expired CSRF token -------------------------------------------------------


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> FlaskResponse:
    """JSON callers fetch a fresh token and send again; the plain form is shown
    again with every answer still filled in."""
    message = "Formulir sudah terlalu lama terbuka."
    if request.path.endswith(("/kirim", "/detak")):
        return _json_error(400, "csrf", message + " Ambil token baru lalu kirim lagi.")
    args = request.view_args or {}
    kiosk = _kiosk_or_404(args["token"]) if "token" in args else None
    unit = kiosk.unit if kiosk is not None else _unit_or_404(args.get("slug", ""))
    return _survey_page(
        unit,
        kiosk=kiosk,
        values=request.form,
        message=message + " Jawaban Anda masih ada; tekan Kirim sekali lagi.",
        status=400,
    )
