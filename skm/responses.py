"""Storing responses: validation against the instrument, idempotent by UUID."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from questionnaires import Instrument
from skm.models import ANSWER_SLOTS, CHANNELS, Layanan, Response, Unit, answer_column_name

SARAN_MAX_LENGTH = 2000

#: Profile fields stored in their own columns (the annex profile).
PROFILE_COLUMNS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")


class ResponseError(ValueError):
    """A response that cannot be stored; ``errors`` maps field to message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


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


def response_values(
    session: Session, data: ResponseInput, instrument: Instrument
) -> dict[str, Any]:
    """Column values for one response, or ResponseError naming every bad field."""
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
    }
    if instrument.n_unsur > ANSWER_SLOTS:
        raise ResponseError({"instrument": "Instrumen memiliki terlalu banyak unsur."})

    unit = session.get(Unit, data.unit_id)
    if unit is None:
        errors["unit"] = "Unit layanan tidak ditemukan."
    if data.layanan_id is not None:
        layanan = session.get(Layanan, data.layanan_id)
        if layanan is None or layanan.unit_id != data.unit_id or not layanan.active:
            errors["layanan"] = "Jenis layanan tidak dikenal untuk unit ini."
    if data.channel not in CHANNELS:
        errors["channel"] = "Saluran survei tidak dikenal."
    if data.submitted_at.tzinfo is None:
        errors["submitted_at"] = "Waktu survei harus memiliki zona waktu."
    if data.started_at is not None and data.started_at.tzinfo is None:
        errors["started_at"] = "Waktu mulai survei harus memiliki zona waktu."
    values["submitted_at"] = data.submitted_at

    unknown = set(data.answers) - {u.key for u in instrument.unsur}
    for key in sorted(unknown):
        errors[key] = f"Unsur '{key}' tidak ada dalam kuesioner."
    answered = 0
    for unsur in instrument.unsur:
        value = data.answers.get(unsur.key)
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


# Built once: kiosks deliver many responses a minute, and composing the
# query costs more than running it.
_BY_UUID = sa.select(Response).where(Response.uuid == sa.bindparam("uuid", type_=sa.Uuid()))


def store_response(
    session: Session, data: ResponseInput, instrument: Instrument
) -> tuple[Response, bool]:
    """Store one response; the same UUID twice stores it once.

    Returns the stored response and whether this call created it. Commits.
    A concurrent delivery of the same UUID loses the race on the unique
    index and then finds the winner's row.
    """
    existing = session.scalar(_BY_UUID, {"uuid": data.uuid})
    if existing is not None:
        return existing, False
    values = response_values(session, data, instrument)
    response = Response(**values)
    session.add(response)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.scalar(_BY_UUID, {"uuid": data.uuid})
        if existing is None:
            raise
        return existing, False
    return response, True


def bulk_insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert many already-validated rows at once (demo data, benchmarks, imports)."""
    if rows:
        session.execute(sa.insert(Response), rows)
