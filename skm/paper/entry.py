"""Paper questionnaires typed in by an operator, one form at a time.

Each saved form is a response with channel ``paper``. The forms an
operator types in for a unit on one day form a batch
(:class:`~skm.models.paper.ImportBatch` of kind ``paper``), which records
who entered them; a mistyped form can be deleted by its operator, and a
day's forms undone as a whole like an import.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument
from skm.audit import record
from skm.formatting import format_date
from skm.models import SurveyResponse, Unit, User, answer_column_name
from skm.models.paper import ImportBatch
from skm.responses import (
    PROFILE_COLUMNS,
    DeliveryConflict,
    ResponseError,
    ResponseInput,
    SessionReferences,
    UuidOfAnotherUnit,
    response_values,
    save_response,
)

#: A form identical to the one saved just before, within this time, is
#: probably the same sheet typed twice (or Enter pressed twice): ask first.
DUPLICATE_WINDOW = timedelta(minutes=10)

#: Paper forms older than this are refused as a typing error in the year.
EARLIEST_SURVEY_DATE = date(2000, 1, 1)


def survey_instant(day: date, tz: ZoneInfo) -> datetime:
    """The instant stored for a paper form dated ``day``: noon in the office's zone, as UTC.

    A paper form carries a date but no time. Periodes are cut at local
    midnight, so midnight would sit on the very boundary of a triwulan and
    the UTC value (17:00 the day before in WIB) would show the wrong date
    to anything that reads it in UTC. Noon is twelve hours from either
    boundary, so the date stays the same in every Indonesian zone and in
    UTC, and the form always falls in the periode of the date written on it.
    """
    return datetime.combine(day, time(12), tzinfo=tz).astimezone(UTC)


def date_problem(day: date, today: date) -> str | None:
    """Why ``day`` cannot be the date of a paper form, or None."""
    if day > today:
        return "Tanggal survei tidak boleh setelah hari ini."
    if day < EARLIEST_SURVEY_DATE:
        return "Tanggal survei terlalu lama; periksa tahunnya."
    return None


@dataclass(frozen=True)
class PaperForm:
    """One paper questionnaire as the operator typed it."""

    uuid: uuid_module.UUID
    survey_date: date
    layanan_id: int | None
    answers: Mapping[str, int | None]
    profile: Mapping[str, Any] = field(default_factory=dict)
    saran: str | None = None


@dataclass(frozen=True)
class SaveOutcome:
    """``saved``; ``already_saved`` (the same form, by uuid, arrived before);
    ``duplicate`` (identical to the operator's previous form: not saved)."""

    status: Literal["saved", "already_saved", "duplicate"]
    batch: ImportBatch
    response: SurveyResponse | None = None
    previous: SurveyResponse | None = None


def paper_batch(
    session: Session,
    unit: Unit,
    user: User,
    instrument: Instrument,
    today: date,
    address: str | None = None,
) -> ImportBatch:
    """The operator's batch of paper forms for ``unit`` today (created when needed).

    The audit log gets one entry when the batch is created, not one per
    form: a day of typing is hundreds of forms, and the batch (with its
    count) stays in the import history, where it can be undone as a whole.
    """
    batch = session.scalar(
        sa.select(ImportBatch)
        .where(
            ImportBatch.kind == "paper",
            ImportBatch.unit_id == unit.id,
            ImportBatch.created_by_id == user.id,
            ImportBatch.entry_date == today,
            ImportBatch.instrument_key == instrument.key,
            ImportBatch.instrument_version == instrument.version,
            ImportBatch.undone_at.is_(None),
        )
        .order_by(ImportBatch.id.desc())
        .limit(1)
    )
    if batch is None:
        batch = ImportBatch(
            kind="paper",
            unit_id=unit.id,
            instrument_key=instrument.key,
            instrument_version=instrument.version,
            entry_date=today,
            created_by_id=user.id,
            created_by_name=user.full_name or user.username,
        )
        session.add(batch)
        session.flush()
        record(
            session,
            user,
            "kertas.batch",
            batch,
            f"Formulir kertas {unit.name} mulai diketik pada {format_date(today)}; "
            "formulir berikutnya hari itu masuk batch yang sama (lihat Riwayat impor)",
            unit=unit,
            address=address,
        )
    return batch


def current_batch(
    session: Session, unit: Unit, user: User, instrument: Instrument, today: date
) -> ImportBatch | None:
    """Today's batch of this operator for ``unit``, without creating one."""
    return session.scalar(
        sa.select(ImportBatch)
        .where(
            ImportBatch.kind == "paper",
            ImportBatch.unit_id == unit.id,
            ImportBatch.created_by_id == user.id,
            ImportBatch.entry_date == today,
            ImportBatch.instrument_key == instrument.key,
            ImportBatch.undone_at.is_(None),
        )
        .order_by(ImportBatch.id.desc())
        .limit(1)
    )


#: What makes two forms "the same": everything the operator typed.
_COMPARED = ("layanan_id", "submitted_at", *PROFILE_COLUMNS, "profile_extra", "saran")


def _same_form(values: Mapping[str, Any], previous: SurveyResponse, instrument: Instrument) -> bool:
    columns = [answer_column_name(u.position) for u in instrument.unsur]
    return all(values.get(c) == getattr(previous, c) for c in (*columns, *_COMPARED))


def save_paper_form(
    session: Session,
    unit: Unit,
    form: PaperForm,
    instrument: Instrument,
    user: User,
    tz: ZoneInfo,
    *,
    now: datetime | None = None,
    allow_duplicate: bool = False,
    address: str | None = None,
) -> SaveOutcome:
    """Validate and store one paper form in the operator's batch of today; flushes.

    Raises ResponseError (field -> Indonesian message) for a form that
    cannot be stored. A form identical to the operator's previous one
    within :data:`DUPLICATE_WINDOW` is not stored unless ``allow_duplicate``.
    """
    now = now or datetime.now(UTC)
    today = now.astimezone(tz).date()
    problem = date_problem(form.survey_date, today)
    if problem:
        raise ResponseError({"tanggal": problem})
    existing = session.scalar(sa.select(SurveyResponse).where(SurveyResponse.uuid == form.uuid))
    if existing is not None:
        return _saved_before(session, unit, existing)
    data = ResponseInput(
        uuid=form.uuid,
        unit_id=unit.id,
        layanan_id=form.layanan_id,
        answers=form.answers,
        submitted_at=survey_instant(form.survey_date, tz),
        channel="paper",
        profile=form.profile,
        saran=form.saran,
        received_at=now,
    )
    values = response_values(session, data, instrument)
    batch = paper_batch(session, unit, user, instrument, today, address)
    previous = _previous_form(session, unit, user, now)
    if previous is not None and not allow_duplicate and _same_form(values, previous, instrument):
        return SaveOutcome("duplicate", batch, previous=previous)
    try:
        created = save_response(
            session.connection(),
            replace(data, import_batch_id=batch.id),
            instrument,
            SessionReferences(session),
        )
    except UuidOfAnotherUnit:
        raise ResponseError({"uuid": UuidOfAnotherUnit.message}) from None
    except DeliveryConflict:
        # The same form saved at the same moment with other answers: the first one stands.
        created = False
    response = session.scalar(sa.select(SurveyResponse).where(SurveyResponse.uuid == form.uuid))
    assert response is not None
    if not created:
        # The same form (uuid) delivered twice at the same moment: the other one won.
        return SaveOutcome("already_saved", batch, response)
    batch.row_count += 1
    session.flush()
    return SaveOutcome("saved", batch, response)


def _saved_before(session: Session, unit: Unit, existing: SurveyResponse) -> SaveOutcome:
    """The form's uuid is stored: the same paper form sent again, or an error."""
    if existing.unit_id != unit.id:
        raise ResponseError({"uuid": UuidOfAnotherUnit.message})
    batch = batch_of(session, existing)
    if batch is None:  # stored through a kiosk, a phone or an import
        raise ResponseError({"uuid": "Formulir ini sudah tersimpan di tempat lain."})
    return SaveOutcome("already_saved", batch, existing)


def _previous_form(
    session: Session, unit: Unit, user: User, now: datetime
) -> SurveyResponse | None:
    """The operator's last paper form of ``unit`` within :data:`DUPLICATE_WINDOW`."""
    return session.scalar(
        sa.select(SurveyResponse)
        .join(ImportBatch, SurveyResponse.import_batch_id == ImportBatch.id)
        .where(
            ImportBatch.kind == "paper",
            ImportBatch.created_by_id == user.id,
            SurveyResponse.unit_id == unit.id,
            SurveyResponse.received_at >= now - DUPLICATE_WINDOW,
        )
        .order_by(SurveyResponse.received_at.desc(), SurveyResponse.id.desc())
        .limit(1)
    )


def batch_of(session: Session, response: SurveyResponse) -> ImportBatch | None:
    if response.import_batch_id is None:
        return None
    return session.get(ImportBatch, response.import_batch_id)


def recent_forms(
    session: Session, batch: ImportBatch | None, limit: int = 10
) -> list[SurveyResponse]:
    """The last forms of a batch, newest first."""
    if batch is None:
        return []
    return list(
        session.scalars(
            sa.select(SurveyResponse)
            .where(SurveyResponse.import_batch_id == batch.id)
            .order_by(SurveyResponse.id.desc())
            .limit(limit)
        )
    )


def batch_size(session: Session, batch: ImportBatch | None) -> int:
    """Forms of the batch still stored (single forms may have been deleted)."""
    if batch is None:
        return 0
    count = session.scalar(
        sa.select(sa.func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.import_batch_id == batch.id)
    )
    return int(count or 0)


def can_delete_form(user: User, response: SurveyResponse, batch: ImportBatch | None) -> bool:
    """A paper form may be deleted by the operator who typed it (or an admin)
    while its batch is active: a correction, not a way to drop unwelcome answers
    from other channels."""
    return (
        response.channel == "paper"
        and batch is not None
        and batch.kind == "paper"
        and batch.active
        and (batch.created_by_id == user.id or user.role == "admin")
    )


def delete_paper_form(
    session: Session, response: SurveyResponse, user: User, address: str | None = None
) -> None:
    """Delete one mistyped paper form (flushes, audited). Raises PermissionError."""
    batch = batch_of(session, response)
    if not can_delete_form(user, response, batch):
        raise PermissionError("Hanya formulir kertas yang Anda ketik sendiri yang dapat dihapus.")
    assert batch is not None
    unit = session.get(Unit, response.unit_id)
    entered = f" dari entri {format_date(batch.entry_date)}" if batch.entry_date else ""
    record(
        session,
        user,
        "kertas.delete",
        response,
        # The stored instant is noon of the survey day, so its UTC date is that day.
        f"Formulir kertas #{response.id} ({unit.name if unit else '–'}, tanggal survei "
        f"{format_date(response.submitted_at.date())}) dihapus{entered}",
        unit=unit,
        address=address,
    )
    session.delete(response)
    batch.row_count = max(0, batch.row_count - 1)
    session.flush()


@dataclass(frozen=True)
class ReadbackLine:
    """One line of what will be saved, as the operator reads it back."""

    label: str
    value: str
    note: str | None = None


def readback(
    instrument: Instrument, form: PaperForm, layanan_name: str | None, today: date
) -> list[ReadbackLine]:
    """What a form will store, in the order of the paper form, with the wording of each answer."""
    lines = [
        ReadbackLine(
            "Tanggal survei",
            format_date(form.survey_date),
            None if form.survey_date == today else "bukan hari ini",
        ),
        ReadbackLine("Jenis layanan", layanan_name or "tidak dicatat"),
    ]
    for spec in instrument.profile:
        value = form.profile.get(spec.key)
        if value is None:
            text = "–"
        elif spec.kind == "integer":
            text = f"{value} {spec.unit or ''}".strip()
        else:
            option = spec.option_by_key(str(value))
            text = option.label if option else str(value)
        lines.append(ReadbackLine(spec.label, text))
    for question in instrument.questions:
        unsur = instrument.unsur_by_key(question.unsur_key)
        answer = form.answers.get(question.unsur_key)
        text = (
            "tidak dijawab"
            if answer is None
            else (f"{answer} – {question.option_for(answer).label}")
        )
        lines.append(ReadbackLine(f"{question.number}. {unsur.name} ({unsur.code})", text))
    if form.saran:
        lines.append(ReadbackLine("Saran", form.saran))
    return lines


def readback_token(instrument: Instrument, form: PaperForm) -> str:
    """A short fingerprint of everything a form stores: a form changed after its
    read-back was shown has another fingerprint and is read back again."""
    parts = [
        form.survey_date.isoformat(),
        str(form.layanan_id or 0),
        ",".join(f"{k}={form.profile.get(k)}" for k in sorted(form.profile)),
        ",".join(
            "-" if form.answers.get(q.unsur_key) is None else str(form.answers[q.unsur_key])
            for q in instrument.questions
        ),
        form.saran or "",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def questionnaire_answers(response: SurveyResponse, instrument: Instrument) -> list[int | None]:
    """A stored form's answers in the order of the paper questionnaire (question 1..n)."""
    return [
        getattr(response, answer_column_name(instrument.unsur_by_key(q.unsur_key).position))
        for q in instrument.questions
    ]


def profile_summary(response: SurveyResponse, instrument: Instrument) -> str:
    """ "L · 45 th · SMA · Swasta" for the list of saved forms."""
    parts = []
    for spec in instrument.profile:
        value = getattr(response, spec.key, None)
        if value is None:
            value = (response.profile_extra or {}).get(spec.key)
        if value is None:
            continue
        if spec.kind == "integer":
            parts.append(f"{value} th" if spec.key == "usia" else str(value))
        else:
            option = spec.option_by_key(str(value))
            parts.append(option.label if option and spec.key != "jenis_kelamin" else str(value))
    return " · ".join(parts) or "–"
