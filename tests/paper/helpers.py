"""Shared set-up of the paper tests: a kecamatan with a kelurahan, layanan and staff."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from skm.models import Layanan
from skm.units import add_layanan, create_unit
from tests.support.factories import add_staff


@dataclass
class Place:
    unit_id: int
    slug: str
    kelurahan_id: int
    other_slug: str
    ktp_id: int
    kk_id: int
    operator_id: int
    second_operator_id: int
    pimpinan_id: int
    admin_id: int
    outsider_id: int


def make_place(session: Session) -> Place:
    unit = create_unit(session, "Kecamatan Sukamaju", "kecamatan")
    kelurahan = create_unit(session, "Kelurahan Mekarsari", "kelurahan", unit)
    other = create_unit(session, "Kecamatan Lain", "kecamatan")
    ktp, kk = add_layanan(session, unit, ["Rekomendasi KTP", "Kartu Keluarga (KK)"])
    add_layanan(session, other, ["Surat Pindah"])
    operator = add_staff(session, "sri", "operator", unit, full_name="Sri Wahyuni")
    second = add_staff(session, "budi", "operator", unit, full_name="Budi Santoso")
    pimpinan = add_staff(session, "camat", "pimpinan", unit, full_name="Pak Camat")
    admin = add_staff(session, "admin", "admin", unit, full_name="Admin Kecamatan")
    outsider = add_staff(session, "lain", "operator", other, full_name="Operator Lain")
    session.commit()
    return Place(
        unit.id, unit.slug, kelurahan.id, other.slug, ktp.id, kk.id,
        operator.id, second.id, pimpinan.id, admin.id, outsider.id,
    )  # fmt: skip


def layanan(session: Session, layanan_id: int) -> Layanan:
    found = session.get(Layanan, layanan_id)
    assert found is not None
    return found
