"""Recording and reading the audit log.

Every service that changes something on behalf of a staff member calls
:func:`record` in the same transaction as the change, so the change and
its log entry are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.admin.models import AuditEntry
from skm.models import Unit, User

#: What each action is called in the log's filter (Indonesian, as admins read it).
ACTION_LABELS = {
    "unit.create": "Unit dibuat",
    "unit.update": "Unit diubah",
    "layanan.create": "Layanan ditambah",
    "layanan.update": "Layanan diubah",
    "user.create": "Pengguna dibuat",
    "user.update": "Pengguna diubah",
    "user.password_reset": "Kata sandi diatur ulang",
    "user.password_change": "Kata sandi diganti",
    "token.create": "Token API dibuat",
    "token.revoke": "Token API dicabut",
    "populasi.set": "Populasi dicatat",
    "saran.status": "Tindak lanjut saran",
    "rencana.create": "Rencana tindak lanjut ditambah",
    "rencana.update": "Rencana tindak lanjut diubah",
    "rencana.delete": "Rencana tindak lanjut dihapus",
}

#: Field names in ``changes`` as admins read them.
FIELD_LABELS = {
    "name": "nama",
    "kind": "jenis",
    "address": "alamat",
    "active": "aktif",
    "username": "nama pengguna",
    "full_name": "nama lengkap",
    "role": "peran",
    "unit": "unit",
    "population": "populasi",
    "status": "status",
    "note": "catatan",
    "unsur_key": "unsur",
    "program": "program/kegiatan",
    "triwulan": "waktu (triwulan)",
    "penanggung_jawab": "penanggung jawab",
}

PAGE_SIZE = 50


def change_lines(entry: AuditEntry) -> list[str]:
    """``changes`` of an entry as lines such as "populasi: 1200 → 1350"."""

    def shown(value: Any) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return "ya" if value else "tidak"
        return str(value)

    return [
        f"{FIELD_LABELS.get(field, field)}: {shown(pair[0])} → {shown(pair[1])}"
        for field, pair in (entry.changes or {}).items()
    ]


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a field value."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }


def record(
    session: Session,
    actor: User,
    action: str,
    target: object,
    summary: str,
    *,
    unit: Unit | None,
    changes: Mapping[str, Any] | None = None,
    address: str | None = None,
) -> AuditEntry:
    """Add one entry (flushes with the change; the caller commits both)."""
    if action not in ACTION_LABELS:
        raise ValueError(f"Unknown audit action {action!r}")
    object_id = getattr(target, "id", None)
    entry = AuditEntry(
        user_id=actor.id,
        username=actor.username,
        unit_id=unit.id if unit is not None else None,
        action=action,
        object_type=type(target).__name__,
        object_id=None if object_id is None else str(object_id),
        summary=summary[:500],
        changes=dict(changes) if changes else None,
        address=address,
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditPage:
    entries: Sequence[AuditEntry]
    page: int
    pages: int
    total: int


def entries_for(
    session: Session,
    unit: Unit,
    *,
    action: str | None = None,
    username: str | None = None,
    page: int = 1,
) -> AuditPage:
    """Entries about ``unit`` and its sub-units, newest first, one page at a time."""
    conditions: list[sa.ColumnElement[bool]] = [
        AuditEntry.unit_id.in_(sa.select(Unit.id).where(Unit.path.startswith(unit.path)))
    ]
    if action:
        conditions.append(AuditEntry.action == action)
    if username:
        conditions.append(AuditEntry.username == username)
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(*conditions))
    total = int(total or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    entries = session.scalars(
        sa.select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return AuditPage(entries, page, pages, total)
