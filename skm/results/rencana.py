"""Rencana tindak lanjut (RTL): what the unit will do about its weakest unsur."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument
from skm.audit import diff, record
from skm.models import Unit, User
from skm.models.staff import RencanaTindakLanjut
from skm.periode import Periode
from skm.units import in_subtree

PROGRAM_MAX_LENGTH = 2000
PENANGGUNG_JAWAB_MAX_LENGTH = 200


@dataclass(frozen=True)
class RencanaInput:
    unsur_key: str
    program: str
    triwulan: Iterable[int]
    penanggung_jawab: str


def _values(instrument: Instrument, data: RencanaInput) -> dict[str, str]:
    try:
        instrument.unsur_by_key(data.unsur_key)
    except KeyError:
        raise ValueError("Unsur tidak dikenal.") from None
    program = data.program.strip()
    penanggung_jawab = data.penanggung_jawab.strip()
    quarters = sorted(set(data.triwulan))
    if not program:
        raise ValueError("Program/kegiatan wajib diisi.")
    if len(program) > PROGRAM_MAX_LENGTH:
        raise ValueError(f"Program/kegiatan paling banyak {PROGRAM_MAX_LENGTH} karakter.")
    if not penanggung_jawab:
        raise ValueError("Penanggung jawab wajib diisi.")
    if len(penanggung_jawab) > PENANGGUNG_JAWAB_MAX_LENGTH:
        raise ValueError(f"Penanggung jawab paling banyak {PENANGGUNG_JAWAB_MAX_LENGTH} karakter.")
    if not quarters or any(q not in (1, 2, 3, 4) for q in quarters):
        raise ValueError("Pilih minimal satu triwulan pelaksanaan (TW I–IV).")
    return {
        "unsur_key": data.unsur_key,
        "program": program,
        "triwulan": "".join(str(q) for q in quarters),
        "penanggung_jawab": penanggung_jawab,
    }


def rencana_for(
    session: Session, instrument: Instrument, unit: Unit, periode: Periode
) -> Sequence[RencanaTindakLanjut]:
    """The RTL rows of ``unit`` for ``periode``, in the report's order (U1..U9, then entry)."""
    rows = session.scalars(
        sa.select(RencanaTindakLanjut).where(
            RencanaTindakLanjut.unit_id == unit.id,
            RencanaTindakLanjut.periode_code == periode.code,
        )
    ).all()
    order = {u.key: u.position for u in instrument.unsur}
    return sorted(rows, key=lambda r: (order.get(r.unsur_key, 99), r.id))


def rencana_in_scope(session: Session, user: User, rencana_id: int) -> RencanaTindakLanjut | None:
    rencana = session.get(RencanaTindakLanjut, rencana_id)
    if rencana is None:
        return None
    unit = session.get(Unit, rencana.unit_id)
    if unit is None or not in_subtree(unit, user.unit):
        return None
    return rencana


def _shown(instrument: Instrument, values: dict[str, str]) -> dict[str, str]:
    """The values as the log shows them: "U3 Waktu Penyelesaian", "TW I, TW II"."""
    shown = dict(values)
    if "unsur_key" in values:
        unsur = instrument.unsur_by_key(values["unsur_key"])
        shown["unsur_key"] = f"{unsur.code} {unsur.name}"
    if "triwulan" in values:
        shown["triwulan"] = RencanaTindakLanjut(triwulan=values["triwulan"]).waktu
    return shown


def _summary(instrument: Instrument, unit: Unit, values: dict[str, str]) -> str:
    unsur = instrument.unsur_by_key(values["unsur_key"])
    return f"RTL {unit.name}, {unsur.code} {unsur.name}: {values['program'][:80]}"


def create_rencana(
    session: Session,
    actor: User,
    instrument: Instrument,
    unit: Unit,
    periode: Periode,
    data: RencanaInput,
    address: str | None = None,
) -> RencanaTindakLanjut:
    """Add an RTL row (flushes, audited); ValueError with an Indonesian message if bad."""
    values = _values(instrument, data)
    rencana = RencanaTindakLanjut(
        unit_id=unit.id, periode_code=periode.code, created_by_id=actor.id, **values
    )
    session.add(rencana)
    session.flush()
    record(
        session,
        actor,
        "rencana.create",
        rencana,
        _summary(instrument, unit, values),
        unit=unit,
        changes={k: [None, v] for k, v in _shown(instrument, values).items()},
        address=address,
    )
    return rencana


def update_rencana(
    session: Session,
    actor: User,
    instrument: Instrument,
    rencana: RencanaTindakLanjut,
    data: RencanaInput,
    address: str | None = None,
) -> RencanaTindakLanjut:
    values = _values(instrument, data)
    before = {k: getattr(rencana, k) for k in values}
    for key, value in values.items():
        setattr(rencana, key, value)
    rencana.updated_at = datetime.now(UTC)
    session.flush()
    unit = session.get(Unit, rencana.unit_id)
    assert unit is not None
    record(
        session,
        actor,
        "rencana.update",
        rencana,
        _summary(instrument, unit, values),
        unit=unit,
        changes=diff(_shown(instrument, before), _shown(instrument, values)),
        address=address,
    )
    return rencana


def delete_rencana(
    session: Session,
    actor: User,
    instrument: Instrument,
    rencana: RencanaTindakLanjut,
    address: str | None = None,
) -> None:
    unit = session.get(Unit, rencana.unit_id)
    values = {
        k: getattr(rencana, k) for k in ("unsur_key", "program", "triwulan", "penanggung_jawab")
    }
    record(
        session,
        actor,
        "rencana.delete",
        rencana,
        _summary(instrument, unit, values) if unit else "RTL dihapus",
        unit=unit,
        changes={k: [v, None] for k, v in _shown(instrument, values).items()},
        address=address,
    )
    session.delete(rencana)
    session.flush()
