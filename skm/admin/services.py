"""Changes admins make: units, layanan, users and API tokens, each one audited."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.audit import diff, record
from skm.models import Layanan, Unit, User
from skm.models.api import ApiToken
from skm.passwords import password_problem
from skm.tokens import create_token, revoke_token
from skm.units import add_layanan, create_unit, create_user, subtree_condition

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")

UNIT_KIND_LABELS = {
    "kabupaten": "Kabupaten",
    "kota": "Kota",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan",
    "desa": "Desa",
    "loket": "Loket/unit pelayanan",
    "lainnya": "Lainnya",
}


class AdminError(ValueError):
    """A change that cannot be made; the message says why, in Indonesian."""


@dataclass(frozen=True)
class UnitInput:
    name: str
    kind: str
    address: str


def _unit_values(data: UnitInput) -> dict[str, str | None]:
    name = data.name.strip()
    if not name:
        raise AdminError("Nama unit wajib diisi.")
    if data.kind not in UNIT_KIND_LABELS:
        raise AdminError("Jenis unit tidak dikenal.")
    return {"name": name, "kind": data.kind, "address": data.address.strip() or None}


def add_unit(
    session: Session, actor: User, parent: Unit, data: UnitInput, address: str | None = None
) -> Unit:
    """A new unit under ``parent`` (flushes, audited)."""
    values = _unit_values(data)
    try:
        unit = create_unit(session, values["name"] or "", data.kind, parent)
    except ValueError as error:
        raise AdminError(str(error)) from None
    unit.address = values["address"]
    session.flush()
    record(
        session,
        actor,
        "unit.create",
        unit,
        f"Unit {unit.name} dibuat di bawah {parent.name}",
        unit=unit,
        changes={k: [None, v] for k, v in values.items()},
        address=address,
    )
    return unit


def update_unit(
    session: Session, actor: User, unit: Unit, data: UnitInput, address: str | None = None
) -> Unit:
    values = _unit_values(data)
    before = {key: getattr(unit, key) for key in values}
    for key, value in values.items():
        setattr(unit, key, value)
    session.flush()
    changes = diff(before, values)
    if changes:
        record(
            session,
            actor,
            "unit.update",
            unit,
            f"Unit {unit.name} diubah",
            unit=unit,
            changes=changes,
            address=address,
        )
    return unit


def _layanan_name_taken(
    session: Session, unit_id: int, name: str, other_than: int | None = None
) -> bool:
    """Whether the unit has a layanan of this name, whatever its case.

    Compared in Python: SQLite's lower() changes only ASCII letters, so
    "Å" and "å" would pass the check and then break the unique index.
    """
    names = session.scalars(
        sa.select(Layanan.name).where(Layanan.unit_id == unit_id, Layanan.id != (other_than or 0))
    )
    return any(existing.casefold() == name.casefold() for existing in names)


def add_unit_layanan(
    session: Session, actor: User, unit: Unit, name: str, address: str | None = None
) -> Layanan:
    name = name.strip()
    if not name:
        raise AdminError("Nama layanan wajib diisi.")
    if len(name) > 200:
        raise AdminError("Nama layanan paling banyak 200 karakter.")
    if _layanan_name_taken(session, unit.id, name):
        raise AdminError(f"Layanan '{name}' sudah ada di {unit.name}.")
    (layanan,) = add_layanan(session, unit, [name])
    record(
        session,
        actor,
        "layanan.create",
        layanan,
        f"Layanan {name} ditambahkan ke {unit.name}",
        unit=unit,
        changes={"name": [None, name]},
        address=address,
    )
    return layanan


def update_layanan(
    session: Session,
    actor: User,
    layanan: Layanan,
    name: str,
    active: bool,
    address: str | None = None,
) -> Layanan:
    name = name.strip()
    if not name:
        raise AdminError("Nama layanan wajib diisi.")
    if _layanan_name_taken(session, layanan.unit_id, name, other_than=layanan.id):
        raise AdminError(f"Layanan '{name}' sudah ada di unit ini.")
    before = {"name": layanan.name, "active": layanan.active}
    layanan.name = name
    layanan.active = active
    session.flush()
    changes = diff(before, {"name": name, "active": active})
    if changes:
        state = "aktif" if active else "nonaktif"
        record(
            session,
            actor,
            "layanan.update",
            layanan,
            f"Layanan {name} ({state}) diubah",
            unit=layanan.unit,
            changes=changes,
            address=address,
        )
    return layanan


@dataclass(frozen=True)
class UserInput:
    full_name: str
    role: str
    unit: Unit
    active: bool = True


def add_user(
    session: Session,
    actor: User,
    username: str,
    password: str,
    data: UserInput,
    address: str | None = None,
) -> User:
    """A new staff account (flushes, audited); the password itself is never logged."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AdminError(
            "Nama pengguna 3–80 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung."
        )
    existing = session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username))
    if existing is not None:
        raise AdminError(f"Nama pengguna '{username}' sudah dipakai.")
    try:
        user = create_user(
            session, username, password, data.role, data.unit, data.full_name.strip()
        )
    except ValueError as error:
        raise AdminError(str(error)) from None
    # The admin chose this password: the new user replaces it at the first sign-in.
    user.must_change_password = True
    record(
        session,
        actor,
        "user.create",
        user,
        f"Pengguna {username} ({data.role}) dibuat untuk {data.unit.name}",
        unit=data.unit,
        changes={
            "username": [None, username],
            "role": [None, data.role],
            "unit": [None, data.unit.name],
            "full_name": [None, user.full_name],
        },
        address=address,
    )
    return user


def update_user(
    session: Session, actor: User, user: User, data: UserInput, address: str | None = None
) -> User:
    if user.id == actor.id:
        if data.role != actor.role:
            raise AdminError("Anda tidak dapat mengubah peran akun Anda sendiri.")
        if not data.active:
            raise AdminError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
        if data.unit.id != actor.unit_id:
            raise AdminError("Anda tidak dapat memindahkan akun Anda sendiri ke unit lain.")
    before = {
        "full_name": user.full_name,
        "role": user.role,
        "unit": user.unit.name,
        "active": user.active,
    }
    user.full_name = data.full_name.strip()
    user.role = data.role
    user.unit = data.unit
    if user.active and not data.active:
        user.end_sessions()
    user.active = data.active
    session.flush()
    changes = diff(
        before,
        {
            "full_name": user.full_name,
            "role": data.role,
            "unit": data.unit.name,
            "active": data.active,
        },
    )
    if changes:
        record(
            session,
            actor,
            "user.update",
            user,
            f"Pengguna {user.username} diubah",
            unit=data.unit,
            changes=changes,
            address=address,
        )
    return user


def reset_password(
    session: Session, actor: User, user: User, password: str, address: str | None = None
) -> None:
    problem = password_problem(password, user.username)
    if problem:
        raise AdminError(problem)
    user.set_password(password)
    # The admin knows this password: the user replaces it at the next sign-in,
    # and every session of the account ends now.
    user.must_change_password = True
    user.end_sessions()
    session.flush()
    record(
        session,
        actor,
        "user.password_reset",
        user,
        f"Kata sandi {user.username} diatur ulang",
        unit=user.unit,
        address=address,
    )


def new_token(
    session: Session, actor: User, name: str, unit: Unit, address: str | None = None
) -> tuple[ApiToken, str]:
    """A new API token; the plain token is returned once, to be shown once."""
    if len(name.strip()) > 120:
        raise AdminError("Nama token paling banyak 120 karakter.")
    try:
        token, plain = create_token(session, name, unit, actor)
    except ValueError as error:
        raise AdminError(str(error)) from None
    record(
        session,
        actor,
        "token.create",
        token,
        f"Token API {token.name} ({token.prefix}…) dibuat untuk {unit.name}",
        unit=unit,
        address=address,
    )
    return token, plain


def cancel_token(
    session: Session, actor: User, token: ApiToken, address: str | None = None
) -> None:
    if not token.active:
        raise AdminError("Token ini sudah dicabut.")
    revoke_token(session, token)
    record(
        session,
        actor,
        "token.revoke",
        token,
        f"Token API {token.name} ({token.prefix}…) dicabut",
        unit=token.unit,
        address=address,
    )


def users_in(session: Session, unit: Unit) -> Sequence[User]:
    """Accounts of ``unit`` and its sub-units."""
    return session.scalars(
        sa.select(User)
        .join(Unit, Unit.id == User.unit_id)
        .where(subtree_condition(unit))
        .order_by(Unit.path, User.username)
    ).all()


def tokens_in(session: Session, unit: Unit) -> Sequence[ApiToken]:
    return session.scalars(
        sa.select(ApiToken)
        .join(Unit, Unit.id == ApiToken.unit_id)
        .where(subtree_condition(unit))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    ).all()
