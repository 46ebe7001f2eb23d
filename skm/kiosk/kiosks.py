"""Opening, closing and hearing from kiosks (tablets on a counter)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from skm.hashing import secret_hash
from skm.models import Layanan, Unit
from skm.models.kiosk import Kiosk
from skm.units import subtree_condition

#: A kiosk reports in every minute; silent for longer than this, it is offline.
OFFLINE_AFTER = timedelta(minutes=3)

#: A queue this long is shown to staff as a problem worth a look.
QUEUE_WARNING = 10


class KioskError(ValueError):
    """A kiosk cannot be opened as asked; the message says why, in Indonesian."""


def open_kiosk(session: Session, unit: Unit, name: str, layanan: Layanan | None = None) -> Kiosk:
    """A new kiosk for ``unit`` (and one fixed layanan, if given); flushes."""
    name = name.strip()
    if not name:
        raise KioskError("Nama kios wajib diisi, mis. 'Loket 1'.")
    if len(name) > 120:
        raise KioskError("Nama kios paling banyak 120 karakter.")
    if layanan is not None and layanan.unit_id != unit.id:
        raise KioskError("Jenis layanan itu bukan layanan unit ini.")
    kiosk = Kiosk(unit=unit, layanan=layanan, name=name, token=new_secret())
    session.add(kiosk)
    session.flush()
    return kiosk


def new_secret() -> str:
    """A kiosk's secret: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def replace_token(session: Session, kiosk: Kiosk) -> str:
    """A new secret address for ``kiosk`` (flushes); the old one stops working.

    For a tablet that was lost, or an address that was shown to the wrong
    person: the plain secret is returned once, only its hash is kept.
    """
    plain = new_secret()
    kiosk.token = plain
    session.flush()
    return plain


def close_kiosk(session: Session, kiosk: Kiosk) -> None:
    """The tablet stops accepting surveys; its queue waits until it is opened again."""
    kiosk.active = False
    session.flush()


def reopen_kiosk(session: Session, kiosk: Kiosk) -> None:
    kiosk.active = True
    session.flush()


def kiosk_by_token(session: Session, token: str) -> Kiosk | None:
    """The kiosk with this secret (open or closed), or None."""
    if not token or len(token) > 64:
        return None
    kiosk = session.scalar(
        sa.select(Kiosk)
        .options(joinedload(Kiosk.unit))
        .where(Kiosk.token_hash == secret_hash(token))
    )
    if kiosk is not None:
        kiosk.remember_token(token)
    return kiosk


def record_heartbeat(
    session: Session, kiosk: Kiosk, now: datetime, queue_length: int, rejected: int = 0
) -> None:
    """The kiosk reported in: ``queue_length`` responses wait, ``rejected`` were refused."""
    kiosk.last_seen_at = now
    kiosk.queue_length = max(0, queue_length)
    kiosk.rejected_count = max(0, rejected)
    session.flush()


def kiosks_in_scope(session: Session, unit: Unit) -> list[Kiosk]:
    """Kiosks of ``unit`` and its sub-units, open ones first."""
    query = (
        sa.select(Kiosk)
        .join(Kiosk.unit)
        .options(joinedload(Kiosk.unit), joinedload(Kiosk.layanan))
        .where(subtree_condition(unit))
        .order_by(Kiosk.active.desc(), Unit.path, Kiosk.name)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class KioskStatus:
    """How a kiosk is doing, as staff read it in the list."""

    key: str  # "closed", "never", "online", "offline"
    label: str
    needs_attention: bool


def kiosk_status(kiosk: Kiosk, now: datetime) -> KioskStatus:
    if not kiosk.active:
        return KioskStatus("closed", "Ditutup", False)
    if kiosk.last_seen_at is None:
        return KioskStatus("never", "Belum pernah tersambung", True)
    if now - kiosk.last_seen_at > OFFLINE_AFTER:
        return KioskStatus("offline", "Tidak tersambung", True)
    if kiosk.rejected_count:
        return KioskStatus("online", "Tersambung, ada respons ditolak", True)
    if kiosk.queue_length >= QUEUE_WARNING:
        return KioskStatus("online", "Tersambung, antrean menumpuk", True)
    return KioskStatus("online", "Tersambung", False)
