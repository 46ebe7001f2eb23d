"""Moving a unit to another parent, and deleting a unit created by mistake.

Both change what the IKM of a unit means, so both are refused unless they
are safe: a move keeps every response (they follow the unit by id, and the
unit's subtree follows its path), a delete is only offered for a unit
nothing of value depends on yet. See :class:`UnitUsage` for which rows
block a delete and which are removed with the unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from skm.access import can_access_unit, units_in_scope
from skm.admin.services import AdminError
from skm.audit import record
from skm.formatting import format_number
from skm.models import Layanan, SurveyResponse, Unit, User
from skm.models.admin import AuditEntry
from skm.models.api import ApiToken
from skm.models.iku import IkuIndicator, IkuPredikat
from skm.models.kiosk import Kiosk
from skm.models.paper import ImportBatch
from skm.models.reports import ReportNarrative, ReportSignatory
from skm.models.staff import Population, RencanaTindakLanjut
from skm.units import in_subtree, move_subtree, subtree_condition, subtree_ids


def is_scope_root(actor: User, unit: Unit) -> bool:
    """The admin's own unit (or anything above it): the top of what they manage."""
    return unit.id == actor.unit_id or not can_access_unit(actor, unit)


def subtree_counts(session: Session, unit: Unit) -> tuple[int, int]:
    """(sub-units below ``unit``, responses of ``unit`` and its sub-units)."""
    subtree = subtree_ids(unit)
    row = session.execute(
        sa.select(
            sa.select(sa.func.count())
            .select_from(Unit)
            .where(subtree_condition(unit), Unit.id != unit.id)
            .scalar_subquery(),
            sa.select(sa.func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.unit_id.in_(subtree))
            .scalar_subquery(),
        )
    ).one()
    return int(row[0]), int(row[1])


# --- Move ---------------------------------------------------------------------


def move_targets(session: Session, actor: User, unit: Unit) -> list[Unit]:
    """Units of the admin's scope that may become ``unit``'s parent, parents first.

    Not the unit itself nor its sub-units (the tree would become a loop),
    nor its present parent (that would change nothing).
    """
    return [
        candidate
        for candidate in units_in_scope(session, actor)
        if not in_subtree(candidate, unit) and candidate.id != unit.parent_id
    ]


def move_refusal(actor: User, unit: Unit) -> str | None:
    """Why ``unit`` cannot move anywhere, or None."""
    if is_scope_root(actor, unit) or unit.parent is None:
        return _own_unit(unit, "dipindahkan")
    return None


def _own_unit(unit: Unit, verb: str) -> str:
    return (
        f"{unit.name} adalah unit Anda sendiri (puncak wilayah yang Anda kelola), "
        f"jadi tidak dapat {verb}."
    )


def check_move(session: Session, actor: User, unit: Unit, parent_id: int | None) -> Unit:
    """The new parent named by ``parent_id`` if ``unit`` may move under it; else AdminError."""
    refusal = move_refusal(actor, unit)
    if refusal:
        raise AdminError(refusal)
    if parent_id is None:
        raise AdminError("Pilih unit induk yang baru.")
    parent = session.get(Unit, parent_id)
    # An unknown id and a unit outside the admin's scope read the same, so
    # ids of other offices cannot be probed.
    if parent is None or not can_access_unit(actor, parent):
        raise AdminError("Unit induk yang dipilih tidak ada di wilayah Anda.")
    if parent.id == unit.id:
        raise AdminError("Unit tidak dapat menjadi induk bagi dirinya sendiri.")
    if in_subtree(parent, unit):
        raise AdminError(
            f"{parent.name} adalah sub-unit dari {unit.name}; "
            "unit tidak dapat dipindahkan ke bawah sub-unitnya sendiri."
        )
    if parent.id == unit.parent_id:
        raise AdminError(f"{unit.name} sudah berada di bawah {parent.name}.")
    return parent


@dataclass(frozen=True)
class MoveEffect:
    """Whose IKM a move changes: every unit above the unit counts its responses.

    ``gained``: units that count them from now on (the new parent first, then
    its parents up to the branch both parents share); ``lost``: units that no
    longer count them (the old parent first); ``kept``: the nearest unit
    above both, whose IKM does not change.
    """

    gained: list[Unit]
    lost: list[Unit]
    kept: Unit | None


def _chain(path: str) -> list[int]:
    """Ids from the root down, from a path such as "/1/4/9/"."""
    return [int(part) for part in path.strip("/").split("/") if part]


def move_effect(session: Session, old_parent: Unit, new_parent: Unit) -> MoveEffect:
    old, new = _chain(old_parent.path), _chain(new_parent.path)
    shared = 0
    while shared < min(len(old), len(new)) and old[shared] == new[shared]:
        shared += 1
    units = {u.id: u for u in session.scalars(sa.select(Unit).where(Unit.id.in_(old + new)))}
    return MoveEffect(
        gained=[units[i] for i in reversed(new[shared:])],
        lost=[units[i] for i in reversed(old[shared:])],
        kept=units[old[shared - 1]] if shared else None,
    )


def move_unit(
    session: Session, actor: User, unit: Unit, parent_id: int | None, address: str | None = None
) -> Unit:
    """Move ``unit`` (with its sub-units) under another unit; returns the new parent.

    Flushes, audited; the caller commits and then forgets cached lookups.
    """
    parent = check_move(session, actor, unit, parent_id)
    old_parent = unit.parent
    assert old_parent is not None  # check_move refuses a root
    _, responses = subtree_counts(session, unit)
    try:
        move_subtree(session, unit, parent)
    except ValueError as error:
        raise AdminError(str(error)) from None
    record(
        session,
        actor,
        "unit.move",
        unit,
        f"Unit {unit.name} dipindahkan dari {old_parent.name} ke {parent.name}; "
        f"{format_number(responses, 0)} respons kini dihitung dalam IKM {parent.name}",
        unit=unit,
        changes={"parent": [old_parent.name, parent.name]},
        address=address,
    )
    return parent


# --- Delete -------------------------------------------------------------------


@dataclass(frozen=True)
class UnitUsage:
    """What depends on a unit, counted for the delete page.

    Blocking (deleting would lose history or work, or break something in use):
    responses of any channel, sub-units, accounts (active or not), import and
    paper batches (their history stays even when undone), API tokens (even
    revoked: they record who read the unit's data), IKU indicators and RTL
    rows (typed-in work with their own delete buttons), and responses still
    waiting in a kiosk's offline queue.

    Removed with the unit (its own settings, useless without it): layanan
    (no response uses them, or the unit would have responses), kiosks (their
    address stops working), population figures, report signatory and
    narratives, the IKU predikat scale.
    """

    responses: int
    subunits: int
    users: int
    batches: int
    tokens: int
    indicators: int
    rencana: int
    queued: int
    layanan: int
    kiosks: int
    open_kiosks: int
    populasi: int
    report_settings: int
    predikat: int

    def blockers(self) -> list[str]:
        """Why the unit cannot be deleted, one Indonesian sentence per reason."""
        n = _count
        reasons = []
        if self.responses:
            reasons.append(
                f"Unit ini sudah memiliki {n(self.responses)} respons. Respons tidak pernah "
                "dihapus bersama unitnya; ubah nama unit atau pindahkan ke induk lain bila perlu."
            )
        if self.subunits:
            reasons.append(
                f"Unit ini memiliki {n(self.subunits)} sub-unit. "
                "Pindahkan atau hapus sub-unitnya lebih dulu."
            )
        if self.users:
            reasons.append(
                f"Unit ini memiliki {n(self.users)} akun pengguna (termasuk yang nonaktif). "
                "Pindahkan akun itu ke unit lain di halaman Pengguna."
            )
        if self.batches:
            reasons.append(
                f"Unit ini memiliki {n(self.batches)} riwayat impor atau entri formulir kertas "
                "(termasuk yang sudah dibatalkan)."
            )
        if self.tokens:
            reasons.append(
                f"Unit ini memiliki {n(self.tokens)} token API (termasuk yang sudah dicabut); "
                "riwayat pemakaiannya disimpan."
            )
        if self.indicators:
            reasons.append(
                f"Unit ini memiliki {n(self.indicators)} indikator IKU. "
                "Hapus indikatornya lebih dulu di halaman IKU."
            )
        if self.rencana:
            reasons.append(
                f"Unit ini memiliki {n(self.rencana)} baris rencana tindak lanjut. "
                "Hapus lebih dulu di halaman Rencana tindak lanjut."
            )
        if self.queued:
            reasons.append(
                f"{n(self.queued)} respons masih menunggu di antrean kios unit ini "
                "(belum terkirim ke server). Tunggu sampai terkirim."
            )
        return reasons

    def removed_with_unit(self) -> list[str]:
        """What a delete removes too, for the confirmation page."""
        n = _count
        items = []
        if self.layanan:
            items.append(f"{n(self.layanan)} jenis layanan")
        if self.kiosks:
            still_open = (
                f", {n(self.open_kiosks)} masih dibuka: tabletnya berhenti menerima survei"
                if self.open_kiosks
                else ""
            )
            items.append(f"{n(self.kiosks)} kios{still_open}")
        if self.populasi:
            items.append(f"{n(self.populasi)} angka populasi yang dicatat")
        if self.report_settings:
            items.append("pengaturan laporan (penandatangan dan narasi)")
        if self.predikat:
            items.append("skala predikat IKU unit ini")
        return items


def _count(value: int) -> str:
    return format_number(value, 0)


def unit_usage(session: Session, unit: Unit) -> UnitUsage:
    """Everything :class:`UnitUsage` counts, in one round trip."""

    def count(model: Any, *conditions: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
        return sa.select(sa.func.count()).select_from(model).where(*conditions).scalar_subquery()

    def total(column: Any, *conditions: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
        return (
            sa.select(sa.func.coalesce(sa.func.sum(column), 0)).where(*conditions).scalar_subquery()
        )

    own_layanan = sa.select(Layanan.id).where(Layanan.unit_id == unit.id)
    columns = {
        "responses": count(SurveyResponse, SurveyResponse.unit_id == unit.id),
        # Validation keeps a response's layanan in its own unit; counted
        # anyway, since deleting a layanan a response names would fail.
        "layanan_responses": count(
            SurveyResponse,
            SurveyResponse.layanan_id.in_(own_layanan),
            SurveyResponse.unit_id != unit.id,
        ),
        "subunits": count(Unit, Unit.parent_id == unit.id),
        "users": count(User, User.unit_id == unit.id),
        "batches": count(ImportBatch, ImportBatch.unit_id == unit.id),
        "tokens": count(ApiToken, ApiToken.unit_id == unit.id),
        "indicators": count(IkuIndicator, IkuIndicator.unit_id == unit.id),
        "rencana": count(RencanaTindakLanjut, RencanaTindakLanjut.unit_id == unit.id),
        "queued": total(Kiosk.queue_length, Kiosk.unit_id == unit.id),
        "layanan": count(Layanan, Layanan.unit_id == unit.id),
        "kiosks": count(Kiosk, Kiosk.unit_id == unit.id),
        "open_kiosks": count(Kiosk, Kiosk.unit_id == unit.id, Kiosk.active.is_(True)),
        "populasi": count(Population, Population.unit_id == unit.id),
        "signatory": count(ReportSignatory, ReportSignatory.unit_id == unit.id),
        "narratives": count(ReportNarrative, ReportNarrative.unit_id == unit.id),
        "predikat": count(IkuPredikat, IkuPredikat.unit_id == unit.id),
    }
    row = session.execute(sa.select(*(c.label(k) for k, c in columns.items()))).one()
    values = {key: int(value or 0) for key, value in row._mapping.items()}
    return UnitUsage(
        responses=values.pop("responses") + values.pop("layanan_responses"),
        report_settings=values.pop("signatory") + values.pop("narratives"),
        **values,
    )


def deletion_blockers(session: Session, actor: User, unit: Unit) -> tuple[UnitUsage, list[str]]:
    """What the unit holds, and why it cannot be deleted (empty: it can)."""
    usage = unit_usage(session, unit)
    reasons = usage.blockers()
    if is_scope_root(actor, unit) or unit.parent is None:
        reasons.insert(0, _own_unit(unit, "dihapus"))
    return usage, reasons


def delete_unit(session: Session, actor: User, unit: Unit, address: str | None = None) -> Unit:
    """Delete a unit nothing depends on, with its own settings; returns its parent.

    Flushes, audited against the parent (the unit's id is gone afterwards);
    the caller commits and then forgets cached lookups.
    """
    usage, reasons = deletion_blockers(session, actor, unit)
    if reasons:
        raise AdminError(" ".join(reasons))
    parent = unit.parent
    assert parent is not None  # deletion_blockers refuses a root
    layanan_names = [layanan.name for layanan in unit.layanan]
    # Log entries about the unit would otherwise lose their unit (SET NULL)
    # and drop out of every admin's log: they now belong to the parent.
    session.execute(
        sa.update(AuditEntry).where(AuditEntry.unit_id == unit.id).values(unit_id=parent.id),
        execution_options={"synchronize_session": False},
    )
    removed = usage.removed_with_unit()
    record(
        session,
        actor,
        "unit.delete",
        unit,
        f"Unit {unit.name} dihapus dari bawah {parent.name}"
        + (f" (beserta {'; '.join(removed)})" if removed else ""),
        unit=parent,
        changes={
            "name": [unit.name, None],
            "kind": [unit.kind, None],
            "address": [unit.address, None],
            "slug": [unit.slug, None],
            "layanan": [", ".join(layanan_names) or None, None],
        },
        address=address,
    )
    # A plain DELETE: the database removes the unit's own rows (ON DELETE
    # CASCADE) and refuses, should a response have arrived meanwhile
    # (RESTRICT). The ORM would first try to detach the layanan instead.
    try:
        session.execute(sa.delete(Unit).where(Unit.id == unit.id))
    except IntegrityError:
        raise AdminError(
            f"{unit.name} baru saja dipakai (mis. respons masuk), jadi tidak dihapus. "
            "Muat ulang halaman ini."
        ) from None
    return parent
