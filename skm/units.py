"""Units, their hierarchy and their layanan; the first staff account."""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.models import ROLES, UNIT_KINDS, Layanan, Unit, User


def slugify(text: str) -> str:
    """``Kelurahan Mekar Sari`` -> ``kelurahan-mekar-sari`` (for readable survey URLs)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unit"


def create_unit(
    session: Session,
    name: str,
    kind: str,
    parent: Unit | None = None,
    slug: str | None = None,
) -> Unit:
    """Add a unit under ``parent`` (flushes; the caller commits)."""
    if kind not in UNIT_KINDS:
        raise ValueError(f"Jenis unit '{kind}' tidak dikenal: pilih {', '.join(UNIT_KINDS)}.")
    slug = slug or slugify(name)
    if session.scalar(sa.select(Unit.id).where(Unit.slug == slug)) is not None:
        raise ValueError(f"Alamat unit '{slug}' sudah dipakai unit lain.")
    unit = Unit(name=name.strip(), kind=kind, slug=slug, parent=parent)
    session.add(unit)
    session.flush()  # the id is part of the path
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    return unit


def add_layanan(session: Session, unit: Unit, names: list[str]) -> list[Layanan]:
    """Add jenis layanan to a unit (flushes)."""
    layanan = [Layanan(unit=unit, name=name.strip()) for name in names]
    session.add_all(layanan)
    session.flush()
    return layanan


def create_user(
    session: Session, username: str, password: str, role: str, unit: Unit, full_name: str = ""
) -> User:
    """Add a staff account (flushes)."""
    if role not in ROLES:
        raise ValueError(f"Peran '{role}' tidak dikenal: pilih {', '.join(ROLES)}.")
    if len(password) < 8:
        raise ValueError("Kata sandi minimal 8 karakter.")
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"Nama pengguna '{username}' sudah dipakai.")
    user = User(username=username, role=role, unit=unit, full_name=full_name)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def root_units(session: Session) -> list[Unit]:
    return list(session.scalars(sa.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id)))


def active_layanan(session: Session, unit_id: int) -> list[Layanan]:
    """The layanan a respondent of this unit can choose, by name."""
    query = (
        sa.select(Layanan)
        .where(Layanan.unit_id == unit_id, Layanan.active.is_(True))
        .order_by(Layanan.name)
    )
    return list(session.scalars(query))


# Built once: asked on deliveries that name no layanan.
_HAS_ACTIVE_LAYANAN = (
    sa.select(Layanan.id)
    .where(Layanan.unit_id == sa.bindparam("unit_id"), Layanan.active.is_(True))
    .limit(1)
)


def has_active_layanan(connection: sa.Connection, unit_id: int) -> bool:
    """Whether a respondent of this unit has a layanan to choose."""
    return connection.execute(_HAS_ACTIVE_LAYANAN, {"unit_id": unit_id}).first() is not None
