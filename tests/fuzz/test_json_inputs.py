"""Fuzzing the JSON ways in: API delivery, kiosk and phone delivery, kiosk heartbeat.

Whatever the body, the answer is never a server error; a refused body
changes no row; an accepted one stores a response whose every answer is on
the instrument's scale.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from skm import database
from skm.models import SurveyResponse, answer_column_name
from tests.api.conftest import api_place, bearer  # noqa: F401 (fixture)
from tests.fuzz.conftest import examples
from tests.fuzz.helpers import assert_refusal_changed_nothing, dump, json_values, text
from tests.kiosk.conftest import place  # noqa: F401 (fixture)
from tests.support.submissions import ASKED, INSTRUMENT, payload

SURVEY_KEYS = [*payload(), "unit", "channel", "extra"]

#: A survey with some of its fields (or answers) replaced by anything at all.
changed_fields = st.dictionaries(st.sampled_from(SURVEY_KEYS), json_values, max_size=4)
changed_answers = st.dictionaries(
    st.sampled_from([*ASKED, "U1", "zzz"]),
    st.one_of(st.integers(min_value=-(2**70), max_value=2**70), json_values),
    max_size=3,
)
bodies = st.one_of(
    st.tuples(changed_fields, changed_answers).map(lambda pair: ("survey", pair)),
    json_values.map(lambda value: ("json", value)),
    st.binary(max_size=200).map(lambda raw: ("bytes", raw)),
)


def _request_body(kind: str, value, base: dict) -> dict:
    if kind == "survey":
        fields, answers = value
        body = {**base, **fields}
        if answers and isinstance(body.get("answers"), dict):
            body["answers"] = {**body["answers"], **answers}
        return {"data": json.dumps(body), "content_type": "application/json"}
    if kind == "json":
        return {"data": json.dumps(value), "content_type": "application/json"}
    return {"data": value, "content_type": "application/json"}


def _stored_answers_on_scale(app) -> None:
    """Every stored response answers every unsur of its instrument within the scale."""
    with app.app_context():
        for row in database.session().scalars(sa.select(SurveyResponse)):
            for unsur in INSTRUMENT.unsur:
                value = getattr(row, answer_column_name(unsur.position))
                assert INSTRUMENT.scale_min <= value <= INSTRUMENT.scale_max


def _fuzz(app, client, url: str, base_of, headers=None):
    @settings(max_examples=examples())
    @given(bodies)
    def run(body):
        kind, value = body
        before = dump(app)
        answer = client.post(url, headers=headers or {}, **_request_body(kind, value, base_of()))
        assert_refusal_changed_nothing(answer.status_code, before, dump(app))
        if answer.status_code >= 400:
            assert answer.is_json and "message" in answer.get_json()

    run()
    _stored_answers_on_scale(app)


def test_api_delivery_never_fails_and_refusals_store_nothing(relaxed, client, api_place):  # noqa: F811
    slug = api_place.unit.slug
    _fuzz(
        relaxed,
        client,
        "/api/v1/responses",
        lambda: payload(api_place.ktp.id, unit=slug),
        headers=bearer(api_place.token),
    )


def test_kiosk_delivery_never_fails_and_refusals_store_nothing(relaxed, client, place):  # noqa: F811
    _fuzz(relaxed, client, f"/kiosk/{place.kiosk.token}/kirim", lambda: payload(place.ktp.id))


def test_phone_delivery_never_fails_and_refusals_store_nothing(relaxed, client, place):  # noqa: F811
    _fuzz(relaxed, client, f"/survei/{place.unit.slug}/kirim", lambda: payload(place.kk.id))


heartbeat_bodies = st.one_of(
    st.dictionaries(st.sampled_from(["queue_length", "rejected", "x"]), json_values, max_size=3),
    json_values,
)


@settings(max_examples=examples(0.5))
@given(body=heartbeat_bodies)
def test_kiosk_heartbeat_never_fails(relaxed, client, place, body):  # noqa: F811
    before = dump(relaxed)
    answer = client.post(f"/kiosk/{place.kiosk.token}/detak", json=body)
    assert_refusal_changed_nothing(answer.status_code, before, dump(relaxed))
    assert answer.is_json


ikm_params = st.dictionaries(
    st.sampled_from(["unit", "periode", "subunit", "populasi", "layanan"]), text, max_size=5
)


@settings(max_examples=examples(0.5))
@given(params=ikm_params)
def test_api_ikm_query_never_fails(relaxed, client, api_place, params):  # noqa: F811
    params.setdefault("unit", api_place.unit.slug)
    answer = client.get("/api/v1/ikm", query_string=params, headers=bearer(api_place.token))
    assert answer.status_code in (200, 400, 404, 422), answer.get_data(as_text=True)[:300]
    assert answer.is_json


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-01:00", "1999-12-31T23:00:00Z"]
)
def test_a_time_near_the_ends_of_the_calendar_is_refused(relaxed, client, api_place, moment):  # noqa: F811
    """Found by schemathesis: year 1 in a zone east of UTC overflowed on the way to UTC (500)."""
    for field in ("started_at", "submitted_at", "sent_at"):
        answer = client.post(
            "/api/v1/responses",
            json=payload(api_place.ktp.id, unit=api_place.unit.slug, **{field: moment}),
            headers=bearer(api_place.token),
        )
        assert answer.status_code == 422
        assert "antara tahun 2000 dan 2100" in answer.get_json()["errors"][field]
