"""Recording and reading the audit log.

Every service that changes something on behalf of a staff member calls
:func:`record` in the same transaction as the change, so the change and
its log entry are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.models import SurveyResponse, Unit, User
from skm.models.admin import AuditEntry
from skm.units import subtree_ids

#: What each action is called in the log's filter (Indonesian, as admins read it).
ACTION_LABELS = {
    "unit.create": "Unit dibuat",
    "unit.update": "Unit diubah",
    "unit.move": "Unit dipindahkan",
    "unit.delete": "Unit dihapus",
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
    "kios.open": "Kios dibuka",
    "kios.close": "Kios ditutup",
    "kios.reopen": "Kios dibuka lagi",
    "kios.replace_address": "Alamat kios diganti",
    "respons.exclude": "Respons bertanda dikecualikan",
    "respons.include": "Respons bertanda dihitung lagi",
    "respons.exclude_all": "Semua respons bertanda dikecualikan",
    "respons.konflik": "Kiriman UUID sama dengan jawaban lain ditolak",
    "impor.create": "Tabulasi diimpor",
    "impor.undo": "Impor dibatalkan",
    "kertas.batch": "Entri formulir kertas dimulai",
    "kertas.delete": "Formulir kertas dihapus",
    "kertas.undo": "Entri formulir kertas dibatalkan",
    "iku.create": "Indikator IKU ditambah",
    "iku.update": "Indikator IKU diubah",
    "iku.delete": "Indikator IKU dihapus",
    "iku.realisasi": "Realisasi IKU diisi",
    "iku.predikat": "Skala predikat IKU diubah",
    "laporan.narasi": "Narasi laporan diubah",
    "laporan.narasi_bawaan": "Narasi laporan kembali ke bawaan",
    "laporan.penandatangan": "Penandatangan laporan diubah",
}

#: Field names in ``changes`` as admins read them.
FIELD_LABELS = {
    "name": "nama",
    "kind": "jenis",
    "address": "alamat",
    "parent": "unit induk",
    "slug": "alamat survei",
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
    # Kiosks and flagged responses
    "layanan": "layanan",
    "excluded": "dikecualikan dari IKM",
    # Imports and paper entry
    "filename": "berkas",
    "periode": "periode",
    "row_count": "jumlah respons",
    "entry_date": "tanggal entri",
    "survey_date": "tanggal survei",
    # IKU ("target:2026" reads "target 2026", "value:Triwulan I" reads "nilai Triwulan I")
    "code": "kode",
    "sasaran": "sasaran strategis",
    "satuan": "satuan",
    "polarity": "polaritas",
    "method": "cara menghitung realisasi",
    "alasan": "alasan",
    "formula": "formula",
    "sumber_data": "sumber data",
    "numerator_label": "keterangan pembilang",
    "denominator_label": "keterangan penyebut",
    "include_subunits": "termasuk sub-unit",
    "target": "target",
    "value": "nilai",
    "numerator": "pembilang",
    "denominator": "penyebut",
    "current_count": "jumlah periode ini (n)",
    "previous_count": "jumlah periode sebelumnya (n−1)",
    "predikat": "skala predikat",
    # Report narrative and signing official
    "kata_pengantar": "kata pengantar",
    "latar_belakang": "latar belakang",
    "dasar_pelaksanaan": "dasar pelaksanaan",
    "maksud_tujuan": "maksud dan tujuan",
    "pelaksana": "pelaksana",
    "metode": "metode pengumpulan data",
    "lokasi": "lokasi pengumpulan data",
    "analisis": "catatan analisis",
    "penutup": "penutup",
    "include_saran": "saran dicantumkan",
    "report_date": "tanggal laporan",
    "jabatan": "jabatan",
    "nama": "nama",
    "pangkat": "pangkat/golongan",
    "nip": "NIP",
    "tempat": "tempat penandatanganan",
}

PAGE_SIZE = 50


def field_label(field: str) -> str:
    """How admins read a field of ``changes``.

    A field may carry a qualifier after a colon, for values that repeat per
    year or triwulan: "target:2026" reads "target 2026".
    """
    name, colon, qualifier = field.partition(":")
    label = FIELD_LABELS.get(name, name)
    return f"{label} {qualifier}" if colon else label


def change_lines(entry: AuditEntry) -> list[str]:
    """``changes`` of an entry as lines such as "populasi: 1200 → 1350"."""

    def shown(value: Any) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return "ya" if value else "tidak"
        return str(value)

    return [
        f"{field_label(field)}: {shown(pair[0])} → {shown(pair[1])}"
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
    """``{field: [before, after]}`` for the fields whose value changed.

    Fields of either side count: a field only before was removed (a target
    deleted), one only after was added.
    """
    fields = list(before) + [key for key in after if key not in before]
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in fields
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
        object_type=getattr(target, "audit_type", type(target).__name__),
        object_id=None if object_id is None else str(object_id),
        summary=summary[:500],
        changes=dict(changes) if changes else None,
        address=address,
    )
    session.add(entry)
    session.flush()
    return entry


def record_refused_delivery(
    connection: sa.Connection,
    *,
    source: str,
    unit_id: int,
    response_id: int,
    uuid: str,
    changes: Mapping[str, Any],
    address: str | None,
) -> None:
    """Log a delivery refused because its UUID is stored with other answers.

    No staff member did it, so ``source`` (the kiosk, the phone survey, the
    API token) stands in the user's place; the caller commits. Core, not the
    ORM: the kiosk path has no session.
    """
    fields = ", ".join(field_label(name) for name in changes)
    connection.execute(
        sa.insert(AuditEntry),
        {
            "at": datetime.now(UTC),
            "user_id": None,
            "username": source[:80],
            "unit_id": unit_id,
            "action": "respons.konflik",
            "object_type": SurveyResponse.audit_type,
            "object_id": str(response_id),
            "summary": (
                f"Survei {uuid} dikirim lagi dengan isian lain ({fields}); kiriman ditolak, "
                "isian pertama tetap tersimpan"
            )[:500],
            "changes": {name: [_plain(a), _plain(b)] for name, (a, b) in changes.items()},
            "address": address,
        },
    )


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
    conditions: list[sa.ColumnElement[bool]] = [AuditEntry.unit_id.in_(subtree_ids(unit))]
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
