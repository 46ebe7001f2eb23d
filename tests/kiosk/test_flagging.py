"""Flags on responses that look automated or careless (kept, never dropped)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from questionnaires import get_instrument
from skm.flagging import (
    FLAG_MAX_LENGTH,
    flag_reasons,
    flag_text,
    overlap_condition,
)
from skm.kiosk.kiosks import open_kiosk
from skm.models import SurveyResponse
from skm.responses import ResponseInput, SessionReferences, save_response
from skm.units import create_unit
from tests.support.submissions import answers

SAME = answers([4] * 9)
VARIED = answers()


def test_an_ordinary_survey_is_not_flagged() -> None:
    assert flag_reasons(VARIED, 95.0) == []


def test_the_same_answer_everywhere_alone_is_not_suspicious() -> None:
    # Satisfied citizens often answer "Sangat ..." nine times, taking their time.
    assert flag_reasons(SAME, 45.0) == []


def test_identical_answers_in_a_few_seconds_are_flagged() -> None:
    reasons = flag_reasons(SAME, 14.2)
    assert reasons == ["Semua jawaban sama (4) dan selesai dalam 14 detik"]


def test_nine_questions_in_under_ten_seconds_were_not_read() -> None:
    assert flag_reasons(VARIED, 6.0) == ["Selesai dalam 6 detik, terlalu cepat untuk dibaca"]


def test_unknown_duration_gives_no_time_flag() -> None:
    assert flag_reasons(SAME, None) == []


def test_bursts_from_one_address_are_flagged_beyond_five_a_minute() -> None:
    assert flag_reasons(VARIED, 60.0, address_burst=5) == []
    assert flag_reasons(VARIED, 60.0, address_burst=6) == [
        "6 survei dari alamat yang sama dalam satu menit"
    ]


def test_flag_text_joins_reasons_and_fits_the_column() -> None:
    assert flag_text([]) is None
    assert flag_text(["a", "b"]) == "a; b"
    long = flag_text(["x" * 150, "y" * 150])
    assert long is not None and len(long) == FLAG_MAX_LENGTH and long.endswith("…")


T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _add(session, unit, kiosk, start_offset: float, end_offset: float) -> None:
    session.add(
        SurveyResponse(
            uuid=uuid.uuid4(),
            unit_id=unit.id,
            kiosk_id=kiosk.id,
            instrument_key="permenpan-14-2017",
            instrument_version=1,
            started_at=T0 + timedelta(seconds=start_offset),
            submitted_at=T0 + timedelta(seconds=end_offset),
            channel="kiosk",
            u01=3,
        )
    )
    session.flush()


@pytest.fixture
def kiosks(session):
    unit = create_unit(session, "Kecamatan Uji", "kecamatan")
    first = open_kiosk(session, unit, "Loket 1")
    second = open_kiosk(session, unit, "Loket 2")
    # One respondent from 0 s to 60 s on the first kiosk.
    _add(session, unit, first, 0, 60)
    return unit, first, second


OVERLAP_FLAG = "bertumpuk"


def _deliver(session, kiosk, start: float, end: float, survey_uuid=None) -> bool:
    """Store a kiosk survey from ``start`` to ``end`` seconds; whether it was created."""
    started, submitted = T0 + timedelta(seconds=start), T0 + timedelta(seconds=end)
    data = ResponseInput(
        uuid=survey_uuid or uuid.uuid4(),
        unit_id=kiosk.unit_id,
        layanan_id=None,
        answers=VARIED,
        submitted_at=submitted,
        channel="kiosk",
        kiosk_id=kiosk.id,
        started_at=started,
        flag_condition=overlap_condition(kiosk.id, started, submitted, OVERLAP_FLAG),
    )
    instrument = get_instrument("permenpan-14-2017")
    created = save_response(session.connection(), data, instrument, SessionReferences(session))
    session.commit()
    return created


def _overlaps(session, kiosk, start: float, end: float) -> bool:
    """Whether a survey delivered now is stored with the overlap flag (then removed again)."""
    survey_uuid = uuid.uuid4()
    assert _deliver(session, kiosk, start, end, survey_uuid)
    flag = session.scalar(sa.select(SurveyResponse.flag).where(SurveyResponse.uuid == survey_uuid))
    session.execute(sa.delete(SurveyResponse).where(SurveyResponse.uuid == survey_uuid))
    session.commit()
    return flag == OVERLAP_FLAG


def test_the_next_person_after_the_thank_you_screen_does_not_overlap(session, kiosks) -> None:
    _, first, _ = kiosks
    assert not _overlaps(session, first, 63, 140)
    assert not _overlaps(session, first, -90, -5)  # the person before


def test_a_survey_under_way_while_another_ran_on_the_same_tablet_overlaps(session, kiosks) -> None:
    _, first, _ = kiosks
    assert _overlaps(session, first, 30, 90)
    assert _overlaps(session, first, -30, 10)
    assert _overlaps(session, first, 10, 50)  # inside
    assert _overlaps(session, first, -10, 100)  # around


def test_another_kiosk_at_the_same_time_is_not_an_overlap(session, kiosks) -> None:
    _, _, second = kiosks
    assert not _overlaps(session, second, 30, 90)


def test_a_survey_delivered_again_is_not_an_overlap_with_itself(session, kiosks) -> None:
    _, first, _ = kiosks
    again = uuid.uuid4()
    assert _deliver(session, first, 300, 360, again)
    assert not _deliver(session, first, 300, 360, again)  # the queue's retry stores nothing
    assert (
        session.scalar(sa.select(SurveyResponse.flag).where(SurveyResponse.uuid == again)) is None
    )


def test_a_long_survey_under_way_on_the_same_tablet_still_overlaps(session, kiosks) -> None:
    unit, first, _ = kiosks
    # A respondent who needed 50 minutes (from 100 s on), and one delivered
    # later from the queue who answered 10 minutes into that.
    _add(session, unit, first, 100, 100 + 50 * 60)
    assert _overlaps(session, first, 700, 800)
    assert not _overlaps(session, first, 100 + 50 * 60 + 5, 100 + 52 * 60)
