"""Storing responses: validation against the instrument, idempotent by UUID.

One insert for every channel: :func:`save_response` stores a kiosk, phone,
API or paper response (one statement, ``ON CONFLICT (uuid) DO NOTHING``),
:func:`bulk_insert` the validated rows of an import or of the demo. Both
keep the summaries in the same transaction. A UUID stored for another unit
gets one answer everywhere: :class:`UuidOfAnotherUnit`.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from questionnaires import Instrument
from skm import summaries
from skm.models import (
    ANSWER_SLOTS,
    CHANNELS,
    SCORING_COLUMNS,
    Layanan,
    SurveyResponse,
    Unit,
    answer_column_name,
)

SARAN_MAX_LENGTH = 2000

#: Profile fields stored in their own columns (the annex profile).
PROFILE_COLUMNS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")


class ResponseError(ValueError):
    """A response that cannot be stored; ``errors`` maps field to message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


class DeliveryConflict(ValueError):
    """This UUID is stored with other answers: nothing is stored, the first delivery stands.

    A kiosk retrying sends the same answers again (an idempotent success);
    other answers under a stored UUID are a second survey passed off as the
    first, or a broken client. ``changes`` maps each differing field (unsur
    key, profile field, ``unit``, ``layanan``, ``saran``) to ``[stored, sent]``.
    """

    #: What every channel answers (409): the kiosk sets the survey aside instead
    #: of retrying it, staff find it in the audit log.
    message = (
        "Survei dengan kode (UUID) ini sudah tersimpan dengan jawaban lain. Kiriman ini tidak "
        "disimpan; jawaban yang pertama tetap berlaku dan kejadian ini dicatat untuk petugas."
    )

    def __init__(self, uuid: uuid_module.UUID, stored_id: int, changes: dict[str, list[Any]]):
        self.uuid = uuid
        self.stored_id = stored_id
        self.changes = changes
        super().__init__(f"{uuid} stored with other {', '.join(changes)}")


class UuidOfAnotherUnit(DeliveryConflict):
    """This UUID is stored for a response of another unit: nothing is stored.

    Every channel (kiosk, phone, API, paper form) gives this one answer, and
    none of them shows or logs what the other unit's response says: the
    delivering unit's staff may not see it.
    """

    message = "UUID ini sudah dipakai untuk respons unit lain."

    def __init__(self, uuid: uuid_module.UUID, stored_id: int):
        super().__init__(uuid, stored_id, {})


@dataclass(frozen=True)
class FlagCondition:
    """A flag decided by the database inside the insert itself.

    ``exists`` is an SQL EXISTS built once at import (so that its statement
    is compiled once) with its bound ``params``; when it holds, the response
    is stored with ``flag`` instead of :attr:`ResponseInput.flag`. One
    statement instead of a query and then an insert: a kiosk delivers a
    response every few seconds at peak.
    """

    exists: sa.Exists
    params: Mapping[str, Any]
    flag: str | None


@dataclass(frozen=True)
class ResponseInput:
    """What a kiosk, a phone, a paper form or an import delivers."""

    uuid: uuid_module.UUID
    unit_id: int
    layanan_id: int | None
    answers: Mapping[str, int | None]
    submitted_at: datetime
    channel: str
    profile: Mapping[str, Any] = field(default_factory=dict)
    saran: str | None = None
    kiosk_id: int | None = None
    started_at: datetime | None = None
    #: Why the response looks automated or careless (kept, shown to staff).
    flag: str | None = None
    #: A flag that depends on other stored responses (see FlagCondition).
    flag_condition: FlagCondition | None = None
    #: The batch a paper form or an import belongs to.
    import_batch_id: int | None = None
    #: When the office received it (by default: when it is stored).
    received_at: datetime | None = None


class LayananFacts(Protocol):
    """What validation reads of a layanan (a Layanan row or a cached copy)."""

    @property
    def unit_id(self) -> int: ...

    @property
    def active(self) -> bool: ...


class References(Protocol):
    """Where validation finds the unit and the layanan a response names."""

    def unit_exists(self, unit_id: int) -> bool: ...

    def layanan(self, layanan_id: int) -> LayananFacts | None: ...


@dataclass(frozen=True)
class SessionReferences:
    """References read from the database (the kiosk path reads them from memory)."""

    session: Session

    def unit_exists(self, unit_id: int) -> bool:
        return self.session.get(Unit, unit_id) is not None

    def layanan(self, layanan_id: int) -> LayananFacts | None:
        return self.session.get(Layanan, layanan_id)


def response_values(
    session: Session | None,
    data: ResponseInput,
    instrument: Instrument,
    references: References | None = None,
) -> dict[str, Any]:
    """Column values for one response, or ResponseError naming every bad field.

    The unit and layanan are looked up in ``references``, by default in the
    session's database.
    """
    if references is None:
        assert session is not None, "response_values needs a session or references"
        references = SessionReferences(session)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "uuid": data.uuid,
        "unit_id": data.unit_id,
        "layanan_id": data.layanan_id,
        "instrument_key": instrument.key,
        "instrument_version": instrument.version,
        "channel": data.channel,
        "kiosk_id": data.kiosk_id,
        "started_at": data.started_at,
        "flag": data.flag,
        "import_batch_id": data.import_batch_id,
    }
    if data.received_at is not None:
        values["received_at"] = data.received_at
    if instrument.n_unsur > ANSWER_SLOTS:
        raise ResponseError({"instrument": "Instrumen memiliki terlalu banyak unsur."})

    errors.update(_delivery_errors(data, references))
    values["submitted_at"] = data.submitted_at
    answer_values, answer_errors = _answer_values(data.answers, instrument)
    errors.update(answer_errors)
    values.update(answer_values)

    profile_values, profile_errors = _profile_values(data.profile, instrument)
    errors.update(profile_errors)
    values.update(profile_values)

    saran = (data.saran or "").strip()
    if len(saran) > SARAN_MAX_LENGTH:
        errors["saran"] = f"Saran paling banyak {SARAN_MAX_LENGTH} karakter."
    values["saran"] = saran or None

    if errors:
        raise ResponseError(errors)
    return values


def _delivery_errors(data: ResponseInput, references: References) -> dict[str, str]:
    """What is wrong with the unit, layanan, channel and times of a response."""
    errors: dict[str, str] = {}
    if not references.unit_exists(data.unit_id):
        errors["unit"] = "Unit layanan tidak ditemukan."
    if data.layanan_id is not None:
        layanan = references.layanan(data.layanan_id)
        if layanan is None or layanan.unit_id != data.unit_id or not layanan.active:
            errors["layanan"] = "Jenis layanan tidak dikenal untuk unit ini."
    if data.channel not in CHANNELS:
        errors["channel"] = "Saluran survei tidak dikenal."
    if data.submitted_at.tzinfo is None:
        errors["submitted_at"] = "Waktu survei harus memiliki zona waktu."
    if data.started_at is not None and data.started_at.tzinfo is None:
        errors["started_at"] = "Waktu mulai survei harus memiliki zona waktu."
    return errors


def _answer_values(
    answers: Mapping[str, Any], instrument: Instrument
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answer slot columns, and a message per unknown unsur or bad answer."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    unknown = set(answers) - {u.key for u in instrument.unsur}
    for key in sorted(unknown):
        errors[key] = f"Unsur '{key}' tidak ada dalam kuesioner."
    answered = 0
    for unsur in instrument.unsur:
        value = answers.get(unsur.key)
        column = answer_column_name(unsur.position)
        if value is None:
            values[column] = None
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not instrument.scale_min <= value <= instrument.scale_max
        ):
            errors[unsur.key] = (
                f"Jawaban untuk {unsur.name} harus bilangan bulat "
                f"{instrument.scale_min} sampai {instrument.scale_max}."
            )
            continue
        values[column] = value
        answered += 1
    if answered == 0 and not unknown:
        errors["answers"] = "Belum ada pertanyaan yang dijawab."
    return values, errors


def _profile_values(
    profile: Mapping[str, Any], instrument: Instrument
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    errors: dict[str, str] = {}
    fields = {f.key: f for f in instrument.profile}
    for key, raw in profile.items():
        if raw is None or raw == "":
            continue
        spec = fields.get(key)
        if spec is None:
            errors[key] = f"Data responden '{key}' tidak dikenal."
            continue
        if spec.kind == "integer":
            try:
                number = int(raw)
            except (TypeError, ValueError):
                errors[key] = f"{spec.label} harus berupa angka."
                continue
            if (spec.minimum is not None and number < spec.minimum) or (
                spec.maximum is not None and number > spec.maximum
            ):
                errors[key] = f"{spec.label} harus antara {spec.minimum} dan {spec.maximum}."
                continue
            value: Any = number
        else:
            allowed = {option.key for option in spec.options}
            if str(raw) not in allowed:
                errors[key] = f"Pilihan {spec.label} tidak dikenal."
                continue
            value = str(raw)
        if key in PROFILE_COLUMNS:
            values[key] = value
        else:
            extra[key] = str(value)
    values["profile_extra"] = extra or None
    return values, errors


# Built once: kiosks deliver many responses a minute, and composing a
# statement costs more than running it.
_BY_UUID = sa.select(SurveyResponse).where(
    SurveyResponse.uuid == sa.bindparam("uuid", type_=sa.Uuid())
)
_ID_BY_UUID = sa.select(SurveyResponse.id).where(
    SurveyResponse.uuid == sa.bindparam("uuid", type_=sa.Uuid())
)
_UNIT_BY_UUID = sa.select(SurveyResponse.id, SurveyResponse.unit_id).where(
    SurveyResponse.uuid == sa.bindparam("uuid", type_=sa.Uuid())
)
_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}
_INSERTS: dict[tuple[str, int | None], Any] = {}


def _insert_new(dialect_name: str, condition: FlagCondition | None) -> Any:
    """INSERT .. ON CONFLICT (uuid) DO NOTHING RETURNING id, built once per dialect and condition.

    "Insert unless this UUID is stored" in one statement also settles two
    deliveries of one survey racing each other: the second waits for the
    first and then inserts nothing (PostgreSQL), or finds the row (SQLite).
    """
    key = (dialect_name, id(condition.exists) if condition else None)
    statement = _INSERTS.get(key)
    if statement is None:
        statement = _DIALECTS[dialect_name].insert(SurveyResponse)
        if condition is not None:
            flag = sa.case(
                (condition.exists, sa.bindparam("flag_if_condition", type_=sa.String())),
                else_=sa.bindparam("flag_otherwise", type_=sa.String()),
            )
            statement = statement.values(flag=flag)
        statement = statement.on_conflict_do_nothing(index_elements=[SurveyResponse.uuid])
        _INSERTS[key] = statement = statement.returning(SurveyResponse.id)
    return statement


def save_response(
    connection: sa.Connection,
    data: ResponseInput,
    instrument: Instrument,
    references: References,
) -> bool:
    """Store one response; the same UUID twice stores it once. The caller commits.

    Returns whether this call stored it (False: it was already there). A
    survey already stored answers as stored even when it would not pass the
    checks any more (a layanan closed meanwhile): the offline queue retries
    deliveries whose answer it never received. The same UUID with other
    answers raises :class:`DeliveryConflict` and stores nothing.
    """
    try:
        values = response_values(None, data, instrument, references)
    except ResponseError:
        if check_uuid_unit(connection, data.uuid, data.unit_id) is not None:
            return False
        raise
    condition = data.flag_condition
    if condition is not None:
        values |= condition.params
        values["flag_otherwise"] = values.pop("flag")
        values["flag_if_condition"] = condition.flag
    statement = _insert_new(connection.dialect.name, condition)
    new_id = connection.execute(statement, values).scalar()
    if new_id is None:
        _check_same_answers(connection, data.uuid, values, instrument)
    else:
        summaries.add(connection, [values])
    return new_id is not None


#: What a survey said (not when or through which kiosk it arrived): a retry
#: repeats all of it, while its times may be corrected differently each time.
_CONTENT_COLUMNS = (
    "unit_id",
    "layanan_id",
    "instrument_key",
    "instrument_version",
    *SCORING_COLUMNS,
    *PROFILE_COLUMNS,
    "profile_extra",
    "saran",
)
_STORED_CONTENT = sa.select(
    SurveyResponse.id, *(SurveyResponse.__table__.c[name] for name in _CONTENT_COLUMNS)
).where(SurveyResponse.uuid == sa.bindparam("uuid", type_=sa.Uuid()))


def _check_same_answers(
    connection: sa.Connection,
    uuid: uuid_module.UUID,
    values: Mapping[str, Any],
    instrument: Instrument,
) -> None:
    """DeliveryConflict unless the stored survey with this UUID says what ``values`` says."""
    stored = connection.execute(_STORED_CONTENT, {"uuid": uuid}).one()._mapping
    if stored["unit_id"] != values["unit_id"]:
        raise UuidOfAnotherUnit(uuid, stored["id"])
    names = {answer_column_name(u.position): u.key for u in instrument.unsur}
    names |= {"unit_id": "unit", "layanan_id": "layanan"}
    changes = {
        names.get(column, column): [stored[column], values.get(column)]
        for column in _CONTENT_COLUMNS
        if stored[column] != values.get(column)
    }
    if changes:
        raise DeliveryConflict(uuid, stored["id"], changes)


def stored_id(connection: sa.Connection, uuid: uuid_module.UUID) -> int | None:
    """The id of the response with this UUID, or None."""
    return connection.execute(_ID_BY_UUID, {"uuid": uuid}).scalar()


def check_uuid_unit(connection: sa.Connection, uuid: uuid_module.UUID, unit_id: int) -> int | None:
    """The id of the response with this UUID, or None; UuidOfAnotherUnit if another unit's."""
    stored = connection.execute(_UNIT_BY_UUID, {"uuid": uuid}).first()
    if stored is None:
        return None
    if stored.unit_id != unit_id:
        raise UuidOfAnotherUnit(uuid, stored.id)
    return int(stored.id)


def store_response(
    session: Session,
    data: ResponseInput,
    instrument: Instrument,
    references: References | None = None,
) -> tuple[SurveyResponse, bool]:
    """:func:`save_response` and commit; the stored response and whether this call created it."""
    references = references or SessionReferences(session)
    created = save_response(session.connection(), data, instrument, references)
    session.commit()
    response = session.scalar(_BY_UUID, {"uuid": data.uuid})
    assert response is not None
    return response, created


def bulk_insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert many already-validated rows at once (demo data, benchmarks, imports)."""
    if rows:
        session.execute(sa.insert(SurveyResponse), rows)
        summaries.add(session.connection(), rows)
