"""Units, their hierarchy and their layanan; the first staff account."""

from __future__ import annotations

import re
import unicodedata
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.models import ROLES, UNIT_KINDS, Layanan, Unit, User
from skm.passwords import password_problem

#: Longest ``Unit.path`` the column holds (its declared String length).
PATH_MAX_LENGTH = cast(sa.String, Unit.__table__.c.path.type).length or 400


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


def in_subtree(unit: Unit, root: Unit) -> bool:
    """True when ``unit`` is ``root`` or one of its sub-units (by path prefix)."""
    return unit.path.startswith(root.path)


def subtree_condition(root: Unit) -> sa.ColumnElement[bool]:
    """``Unit`` rows in ``root``'s subtree, ``root`` included (for queries on Unit)."""
    return Unit.path.startswith(root.path)


def subtree_ids(root: Unit) -> sa.Select[int]:
    """The ids of ``root`` and its sub-units, as a subquery: ``X.unit_id.in_(subtree_ids(u))``."""
    return sa.select(Unit.id).where(subtree_condition(root))


def move_subtree(session: Session, unit: Unit, new_parent: Unit) -> None:
    """Put ``unit`` under ``new_parent``, rewriting the path of it and all its sub-units.

    Paths are chains of ids, so a move is one prefix replacement: every path
    starting with the unit's old path gets the new one instead, in a single
    UPDATE (the caller's transaction; flushes). Rows that point at the units
    by id (responses, users, kiosks) need no change: they follow the unit.
    """
    if in_subtree(new_parent, unit):
        raise ValueError("Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau sub-unitnya.")
    old_prefix = unit.path
    new_prefix = f"{new_parent.path}{unit.id}/"
    longest = session.scalar(
        sa.select(sa.func.max(sa.func.length(Unit.path))).where(Unit.path.startswith(old_prefix))
    )
    if (longest or len(old_prefix)) - len(old_prefix) + len(new_prefix) > PATH_MAX_LENGTH:
        raise ValueError("Susunan unit menjadi terlalu dalam; pilih unit induk yang lebih tinggi.")
    unit.parent = new_parent
    session.flush()
    tail = sa.func.substr(Unit.path, len(old_prefix) + 1)
    session.execute(
        sa.update(Unit)
        .where(Unit.path.startswith(old_prefix))
        .values(path=sa.literal(new_prefix, sa.String) + tail),
        # The new paths are computed by the database: the session reloads
        # them on the next access instead of guessing.
        execution_options={"synchronize_session": "fetch"},
    )


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
    problem = password_problem(password, username)
    if problem:
        raise ValueError(problem)
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
