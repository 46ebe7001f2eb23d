"""Storing a response: idempotent by UUID; bad input stores nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import get_instrument
from skm.models import SurveyResponse
from skm.responses import SARAN_MAX_LENGTH, ResponseError, ResponseInput, store_response
from skm.units import add_layanan, create_unit

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def instrument():
    return get_instrument("permenpan-14-2017")


@pytest.fixture
def place(session: Session):
    unit = create_unit(session, "Kecamatan Uji", "kecamatan")
    other = create_unit(session, "Kecamatan Lain", "kecamatan")
    (layanan,) = add_layanan(session, unit, ["KTP"])
    (foreign,) = add_layanan(session, other, ["KK"])
    session.commit()
    return unit, layanan, foreign


def _input(instrument, unit, layanan, **changes):
    values = {
        "uuid": uuid.uuid4(),
        "unit_id": unit.id,
        "layanan_id": layanan.id,
        "answers": {u.key: 3 for u in instrument.unsur},
        "submitted_at": NOW,
        "channel": "kiosk",
        "profile": {"jenis_kelamin": "P", "usia": 34},
        "saran": "  Ruang tunggu nyaman.  ",
    }
    values.update(changes)
    return ResponseInput(**values)


def _count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))


def test_stores_answers_in_report_order_slots(session, instrument, place) -> None:
    unit, layanan, _ = place
    answers = {u.key: 1 + u.position % 4 for u in instrument.unsur}
    response, created = store_response(
        session, _input(instrument, unit, layanan, answers=answers), instrument
    )
    assert created
    session.expire_all()
    stored = session.get(SurveyResponse, response.id)
    assert stored is not None
    # Slot u08 is U8 (pengaduan) and u09 is U9 (sarana), whatever order they were asked in.
    assert stored.u08 == answers["pengaduan"] and stored.u09 == answers["sarana"]
    assert stored.answers(9) == [1, 2, 3, 4, 1, 2, 3, 4, 1]
    assert stored.saran == "Ruang tunggu nyaman."
    assert (stored.jenis_kelamin, stored.usia) == ("P", 34)
    assert stored.submitted_at == NOW
    assert stored.instrument_key == instrument.key
    assert stored.instrument_version == instrument.version


def test_same_uuid_twice_stores_one_response(session, instrument, place) -> None:
    unit, layanan, _ = place
    data = _input(instrument, unit, layanan)
    first, created_first = store_response(session, data, instrument)
    second, created_second = store_response(session, data, instrument)
    assert (created_first, created_second) == (True, False)
    assert first.id == second.id
    assert _count(session) == 1


def test_blank_answers_are_stored_as_null(session, instrument, place) -> None:
    unit, layanan, _ = place
    answers = {u.key: 4 for u in instrument.unsur}
    answers["pengaduan"] = None
    response, _ = store_response(
        session, _input(instrument, unit, layanan, answers=answers), instrument
    )
    assert response.u08 is None and response.u09 == 4


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"answers": {"persyaratan": 5}}, "persyaratan", "1 sampai 4"),
        ({"answers": {"persyaratan": 0}}, "persyaratan", "1 sampai 4"),
        ({"answers": {"persyaratan": "4"}}, "persyaratan", "bilangan bulat"),
        ({"answers": {"persyaratan": True}}, "persyaratan", "bilangan bulat"),
        ({"answers": {"kebersihan": 3}}, "kebersihan", "tidak ada dalam kuesioner"),
        ({"answers": {}}, "answers", "Belum ada pertanyaan"),
        ({"unit_id": 999_999}, "unit", "tidak ditemukan"),
        ({"channel": "sms"}, "channel", "tidak dikenal"),
        ({"saran": "x" * (SARAN_MAX_LENGTH + 1)}, "saran", "paling banyak"),
        ({"profile": {"jenis_kelamin": "X"}}, "jenis_kelamin", "tidak dikenal"),
        ({"profile": {"usia": "tua"}}, "usia", "angka"),
        ({"profile": {"usia": 7}}, "usia", "antara"),
        ({"profile": {"nik": "3201"}}, "nik", "tidak dikenal"),
        ({"submitted_at": datetime(2026, 11, 23, 9, 0)}, "submitted_at", "zona waktu"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    session, instrument, place, changes, field, message
) -> None:
    unit, layanan, _ = place
    with pytest.raises(ResponseError) as raised:
        store_response(session, _input(instrument, unit, layanan, **changes), instrument)
    assert field in raised.value.errors
    assert message in raised.value.errors[field]
    session.rollback()
    assert _count(session) == 0


def test_layanan_of_another_unit_is_refused(session, instrument, place) -> None:
    unit, _, foreign = place
    with pytest.raises(ResponseError) as raised:
        store_response(session, _input(instrument, unit, foreign), instrument)
    assert "layanan" in raised.value.errors
    assert _count(session) == 0
