"""A completed survey, from the browser (JSON or plain form) to a stored response.

Both ways in, the one-question-per-screen flow (JSON, possibly delivered
late from the offline queue) and the plain form without JavaScript, end in
:func:`submit_survey`, which checks the survey against the unit (and kiosk),
flags what looks automated, and stores it through
:func:`skm.responses.store_response`: idempotent by the UUID the browser
made when the survey started.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer

from questionnaires import Instrument, InstrumentError, get_instrument
from skm import flagging
from skm.audit import record_refused_delivery
from skm.limits import parse_id
from skm.models.kiosk import Kiosk
from skm.periode import YEAR_RANGE
from skm.reference import KioskRef
from skm.responses import (
    DeliveryConflict,
    References,
    ResponseError,
    ResponseInput,
    UuidOfAnotherUnit,
    save_response,
)
from skm.units import has_active_layanan

#: A browser clock this far from the server's is wrong, not just late: survey
#: times are moved by the difference (tablets on a counter often have no
#: network time). Below it, the difference is network delay and is ignored.
CLOCK_TOLERANCE = timedelta(seconds=30)

_START_SALT = "skm-survey-start"


@dataclass(frozen=True)
class Survey:
    """What one respondent answered, read from the request but not yet checked."""

    uuid: uuid_module.UUID
    instrument: Instrument
    layanan_id: int | None
    answers: dict[str, Any]
    profile: dict[str, Any] = field(default_factory=dict)
    saran: str | None = None
    started_at: datetime | None = None
    submitted_at: datetime | None = None


def instrument_spec(instrument: Instrument) -> str:
    return f"{instrument.key}@{instrument.version}"


def _instrument(spec: Any, default: Instrument, errors: dict[str, str]) -> Instrument:
    """The instrument a survey was answered with, so that a response queued
    before an instrument update is still read with its own questions."""
    if spec in (None, ""):
        return default
    if not isinstance(spec, str):
        errors["instrument"] = "Kuesioner harus ditulis sebagai 'kunci@versi'."
        return default
    key, _, version = spec.partition("@")
    try:
        return get_instrument(key, int(version) if version else None)
    except (InstrumentError, ValueError):
        errors["instrument"] = f"Kuesioner '{spec}' tidak dikenal."
        return default


def _uuid(value: Any, errors: dict[str, str]) -> uuid_module.UUID:
    if isinstance(value, str):
        try:
            return uuid_module.UUID(value)
        except ValueError:
            pass
    errors["uuid"] = "Kode survei (UUID) tidak ada atau tidak sah."
    return uuid_module.UUID(int=0)


def parse_time(value: Any, name: str, label: str, errors: dict[str, str]) -> datetime | None:
    """An ISO 8601 instant with a time zone (``2026-11-23T02:15:00Z``), or None."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        # Near year 1 or 9999 the move to UTC (and any clock correction) overflows.
        if parsed is not None and not YEAR_RANGE[0] <= parsed.year <= YEAR_RANGE[1]:
            parsed = None
        instant = parsed.astimezone(UTC) if parsed is not None and parsed.tzinfo else None
    except (ValueError, OverflowError):
        instant = None
    if instant is None:
        errors[name] = (
            f"{label} harus waktu ISO 8601 dengan zona waktu, antara tahun {YEAR_RANGE[0]} "
            f"dan {YEAR_RANGE[1]}, mis. 2026-11-23T09:15:00Z."
        )
        return None
    return instant


def _optional_int(value: Any, name: str, message: str, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        errors[name] = message
        return None
    number = parse_id(value)
    if number is None:
        errors[name] = message
    return number


def parse_json(payload: Any, default_instrument: Instrument, received_at: datetime) -> Survey:
    """A survey from the JSON the survey page sends; ResponseError names every bad field.

    ``started_at`` and ``submitted_at`` are read on the browser's clock and
    corrected with ``sent_at`` (the browser's clock when it sent the request).
    """
    if not isinstance(payload, dict):
        raise ResponseError({"data": "Data harus berupa objek JSON."})
    errors: dict[str, str] = {}
    survey_uuid = _uuid(payload.get("uuid"), errors)
    instrument = _instrument(payload.get("instrument"), default_instrument, errors)
    layanan_id = _optional_int(
        payload.get("layanan_id"), "layanan", "Jenis layanan harus berupa nomor.", errors
    )
    answers = payload.get("answers")
    if not isinstance(answers, dict):
        errors["answers"] = "Jawaban harus berupa objek {unsur: nilai}."
        answers = {}
    for key, value in answers.items():
        # A list or object is no answer; numbers and text are judged on the scale later.
        if isinstance(value, (list, dict)):
            errors[key] = "Jawaban harus berupa angka pada skala kuesioner."
    profile = payload.get("profile") or {}
    if not isinstance(profile, dict):
        errors["profile"] = "Data responden harus berupa objek."
        profile = {}
    saran = payload.get("saran")
    if saran is not None and not isinstance(saran, str):
        errors["saran"] = "Saran harus berupa teks."
        saran = None
    started = parse_time(payload.get("started_at"), "started_at", "Waktu mulai", errors)
    submitted = parse_time(payload.get("submitted_at"), "submitted_at", "Waktu selesai", errors)
    sent = parse_time(payload.get("sent_at"), "sent_at", "Waktu kirim", errors)
    if errors:
        raise ResponseError(errors)
    started, submitted = corrected_times(started, submitted, sent, received_at)
    return Survey(
        uuid=survey_uuid,
        instrument=instrument,
        layanan_id=layanan_id,
        answers=dict(answers),
        profile=dict(profile),
        saran=saran,
        started_at=started,
        submitted_at=submitted,
    )


def corrected_times(
    started: datetime | None,
    submitted: datetime | None,
    sent: datetime | None,
    received: datetime,
) -> tuple[datetime | None, datetime]:
    """Survey start and end on the server's clock.

    A response may be delivered days late from the offline queue, so the
    survey's own time is kept, moved by the browser clock's error when that
    error is larger than network delay explains. The duration is never
    changed, and no survey ends after the server received it.
    """
    if submitted is None:
        return started, received
    shift = timedelta(0)
    if sent is not None and abs(received - sent) > CLOCK_TOLERANCE:
        shift = received - sent
    if submitted + shift > received:
        shift = received - submitted
    return (started + shift if started else None), submitted + shift


def start_token(secret_key: str, survey_uuid: uuid_module.UUID) -> str:
    """The plain form's hidden field: its UUID, signed with the time it was served."""
    return URLSafeTimedSerializer(secret_key, salt=_START_SALT).dumps(str(survey_uuid))


def read_start_token(secret_key: str, token: str) -> tuple[uuid_module.UUID, datetime]:
    """UUID and start time of a plain form; BadSignature if it was not ours."""
    serializer = URLSafeTimedSerializer(secret_key, salt=_START_SALT)
    value, signed_at = serializer.loads(token, return_timestamp=True)
    return uuid_module.UUID(value), signed_at.astimezone(UTC)


def parse_form(
    form: Mapping[str, str],
    secret_key: str,
    default_instrument: Instrument,
    received_at: datetime,
) -> Survey:
    """A survey from the plain form (no JavaScript): one field per question."""
    errors: dict[str, str] = {}
    try:
        survey_uuid, started = read_start_token(secret_key, form.get("mulai", ""))
    except (BadSignature, ValueError):
        raise ResponseError(
            {"mulai": "Formulir ini tidak dikenali. Periksa jawaban Anda lalu tekan Kirim lagi."}
        ) from None
    instrument = _instrument(form.get("instrumen"), default_instrument, errors)
    layanan_id = _optional_int(
        form.get("layanan_id"), "layanan", "Jenis layanan tidak dikenal.", errors
    )
    answers: dict[str, Any] = {}
    for question in instrument.questions:
        raw = form.get(question.unsur_key, "").strip()
        if raw:
            answers[question.unsur_key] = int(raw) if raw.isdigit() else raw
    profile = {field.key: form.get(field.key, "").strip() for field in instrument.profile}
    if errors:
        raise ResponseError(errors)
    return Survey(
        uuid=survey_uuid,
        instrument=instrument,
        layanan_id=layanan_id,
        answers=answers,
        profile={k: v for k, v in profile.items() if v},
        saran=form.get("saran"),
        started_at=min(started, received_at),
        submitted_at=received_at,
    )


def missing_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, str]:
    """Every question must be answered on the kiosk, the phone and the API."""
    return {
        question.unsur_key: f"Pertanyaan {question.number} belum dijawab."
        for question in instrument.questions
        if answers.get(question.unsur_key) in (None, "")
    }


@dataclass(frozen=True)
class Submitted:
    uuid: uuid_module.UUID
    #: False: this survey was stored before (a retry), and nothing changed.
    created: bool


def submit_survey(
    connection: sa.Connection,
    survey: Survey,
    *,
    unit_id: int,
    channel: str,
    received_at: datetime,
    kiosk: Kiosk | KioskRef | None = None,
    address_burst: int = 0,
    require_layanan: bool = True,
    references: References,
) -> Submitted:
    """Check, flag and store one survey; the caller commits. ResponseError stores nothing.

    A kiosk opened for one layanan answers for that layanan only.
    ``references`` is where the unit and layanan are looked up.
    """
    errors = missing_answers(survey.instrument, survey.answers)
    layanan_id = survey.layanan_id
    if kiosk is not None and kiosk.layanan_id is not None:
        if layanan_id is None:
            layanan_id = kiosk.layanan_id
        elif layanan_id != kiosk.layanan_id:
            errors["layanan"] = "Kios ini hanya untuk satu jenis layanan."
    if layanan_id is None and require_layanan and has_active_layanan(connection, unit_id):
        errors["layanan"] = "Pilih jenis layanan yang Anda terima."
    if errors:
        raise ResponseError(errors)

    submitted_at = survey.submitted_at or received_at
    if survey.started_at is not None and survey.started_at > submitted_at:
        raise ResponseError({"started_at": "Waktu mulai survei sesudah waktu selesai."})
    duration = flagging.duration_seconds(survey.started_at, submitted_at)

    def flag(overlap: bool) -> str | None:
        return flagging.flag_text(
            flagging.flag_reasons(
                survey.answers,
                duration,
                overlaps_other_survey=overlap,
                address_burst=address_burst,
            )
        )

    # Whether another survey of the kiosk overlaps is decided in the insert.
    overlap = None
    if kiosk is not None:
        overlap = flagging.overlap_condition(kiosk.id, survey.started_at, submitted_at, flag(True))
    data = ResponseInput(
        uuid=survey.uuid,
        unit_id=unit_id,
        layanan_id=layanan_id,
        answers=survey.answers,
        submitted_at=submitted_at,
        channel=channel,
        profile=survey.profile,
        saran=survey.saran,
        kiosk_id=kiosk.id if kiosk is not None else None,
        started_at=survey.started_at,
        flag=flag(False),
        flag_condition=overlap,
    )
    created = save_response(connection, data, survey.instrument, references)
    return Submitted(survey.uuid, created)


def mark_delivery(connection: sa.Connection, kiosk_id: int, now: datetime) -> None:
    """Note that the kiosk delivered (and so was seen); the caller commits."""
    connection.execute(
        sa.update(Kiosk).where(Kiosk.id == kiosk_id).values(last_delivery_at=now, last_seen_at=now)
    )


def log_conflict(
    connection: sa.Connection,
    conflict: DeliveryConflict,
    *,
    unit_id: int,
    source: str,
    address: str | None,
) -> None:
    """Roll back the refused delivery and log it for staff in its own commit.

    A UUID of another unit is not logged: the entry would show this unit's
    staff what the other unit's response says.
    """
    connection.rollback()
    if isinstance(conflict, UuidOfAnotherUnit):
        return
    record_refused_delivery(
        connection,
        source=source,
        unit_id=unit_id,
        response_id=conflict.stored_id,
        uuid=str(conflict.uuid),
        changes=conflict.changes,
        address=address,
    )
    connection.commit()
