"""Reading a survey from the browser: times on the server's clock, the plain form's token."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from skm.delivery import (
    corrected_times,
    parse_form,
    parse_json,
    read_start_token,
    start_token,
)
from skm.responses import ResponseError
from tests.support.submissions import INSTRUMENT, payload

RECEIVED = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_network_delay_does_not_move_survey_times() -> None:
    started, submitted = RECEIVED - 3 * MINUTE, RECEIVED - MINUTE
    sent = RECEIVED - timedelta(seconds=2)
    assert corrected_times(started, submitted, sent, RECEIVED) == (started, submitted)


def test_a_tablet_clock_a_year_behind_is_corrected_by_its_error() -> None:
    # The tablet thinks it is 2025; it took the survey 10 minutes before
    # sending it (from its queue) and the survey lasted 2 minutes.
    error = timedelta(days=365)
    sent = RECEIVED - error
    submitted = sent - 10 * MINUTE
    started = submitted - 2 * MINUTE
    assert corrected_times(started, submitted, sent, RECEIVED) == (
        RECEIVED - 12 * MINUTE,
        RECEIVED - 10 * MINUTE,
    )


def test_a_survey_never_ends_after_the_server_received_it() -> None:
    started, submitted = RECEIVED + MINUTE, RECEIVED + 3 * MINUTE  # clock ahead, no sent_at
    assert corrected_times(started, submitted, None, RECEIVED) == (RECEIVED - 2 * MINUTE, RECEIVED)


def test_without_an_end_time_the_survey_ends_when_received() -> None:
    assert corrected_times(None, None, None, RECEIVED) == (None, RECEIVED)


def test_parse_json_reads_what_survey_js_sends() -> None:
    body = payload(layanan_id=7)
    survey = parse_json(body, INSTRUMENT, RECEIVED + timedelta(seconds=1))
    assert str(survey.uuid) == body["uuid"]
    assert survey.instrument == INSTRUMENT
    assert survey.layanan_id == 7
    assert survey.answers == body["answers"]
    assert survey.profile == body["profile"]
    assert survey.submitted_at - survey.started_at == timedelta(minutes=2)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"uuid": "bukan-uuid"}, "uuid", "tidak sah"),
        ({"uuid": None}, "uuid", "tidak sah"),
        ({"answers": [4, 4]}, "answers", "objek"),
        ({"profile": "P"}, "profile", "objek"),
        ({"saran": 12}, "saran", "teks"),
        ({"started_at": "2026-11-23 09:00"}, "started_at", "zona waktu"),
        ({"submitted_at": "kemarin"}, "submitted_at", "ISO 8601"),
        ({"layanan_id": "KTP"}, "layanan", "nomor"),
        ({"layanan_id": True}, "layanan", "nomor"),
        ({"instrument": "kuesioner-lain@3"}, "instrument", "tidak dikenal"),
    ],
)
def test_parse_json_names_every_bad_field(changes, field, words) -> None:
    with pytest.raises(ResponseError) as raised:
        parse_json(payload(**changes), INSTRUMENT, RECEIVED)
    assert words in raised.value.errors[field]


def test_parse_json_refuses_anything_but_an_object() -> None:
    with pytest.raises(ResponseError) as raised:
        parse_json(["uuid"], INSTRUMENT, RECEIVED)
    assert raised.value.errors == {"data": "Data harus berupa objek JSON."}


def test_the_plain_form_token_carries_uuid_and_start_time() -> None:
    survey_uuid = uuid.uuid4()
    before = datetime.now(UTC).replace(microsecond=0)
    token = start_token("rahasia", survey_uuid)
    read_uuid, started = read_start_token("rahasia", token)
    assert read_uuid == survey_uuid
    assert before <= started <= datetime.now(UTC)


def test_a_forged_plain_form_token_is_refused() -> None:
    token = start_token("kunci-lain", uuid.uuid4())
    with pytest.raises(ResponseError) as raised:
        parse_form({"mulai": token}, "rahasia", INSTRUMENT, RECEIVED)
    assert "tidak dikenali" in raised.value.errors["mulai"]
