"""Fuzzing the forms: the survey without JavaScript, sign-in, paper entry, and the
query strings of the staff lists (saran search, audit filter, dashboard)."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from skm.delivery import start_token
from tests.fuzz.conftest import examples
from tests.fuzz.helpers import assert_refusal_changed_nothing, dump, text
from tests.kiosk.conftest import place  # noqa: F401 (fixture)
from tests.support.auth import login
from tests.support.submissions import ASKED, INSTRUMENT

PROFILE_KEYS = [field.key for field in INSTRUMENT.profile]


def _answers_and_more(extra_keys: list[str]):
    """A form filled with 1..4 (mostly), some fields replaced by anything."""
    good = st.fixed_dictionaries({key: st.sampled_from(["1", "2", "3", "4"]) for key in ASKED})
    changed = st.dictionaries(st.sampled_from([*ASKED, *extra_keys]), text, max_size=4)
    return st.tuples(good, changed).map(lambda pair: {**pair[0], **pair[1]})


@settings(max_examples=examples())
@given(form=_answers_and_more(["layanan_id", "saran", "instrumen", "mulai", *PROFILE_KEYS]))
def test_the_plain_survey_form_never_fails(relaxed, client, place, form):  # noqa: F811
    form.setdefault("mulai", start_token(relaxed.secret_key, uuid.uuid4()))
    form.setdefault("layanan_id", str(place.ktp.id))
    before = dump(relaxed)
    answer = client.post(f"/survei/{place.unit.slug}", data=form)
    assert answer.status_code in (303, 400, 422), answer.status_code
    assert_refusal_changed_nothing(answer.status_code, before, dump(relaxed))


@settings(max_examples=examples(0.5))
@given(username=text, password=text, extra=st.dictionaries(text, text, max_size=2))
def test_sign_in_never_fails(relaxed, client, place, username, password, extra):  # noqa: F811
    answer = client.post("/masuk", data={**extra, "username": username, "password": password})
    assert answer.status_code in (200, 302, 400, 401, 403, 422, 429), answer.status_code


PAPER_FIELDS = ["uuid", "tanggal", "layanan", "keep_profile", "readback", "saran"]


@settings(max_examples=examples())
@given(
    answers=st.fixed_dictionaries(
        {f"q_{key}": st.sampled_from(["1", "2", "3", "4"]) for key in ASKED}
    ),
    changed=st.dictionaries(
        st.sampled_from(
            [*(f"q_{k}" for k in ASKED), *(f"p_{k}" for k in PROFILE_KEYS), *PAPER_FIELDS]
        ),
        text,
        max_size=4,
    ),
)
def test_paper_entry_never_fails(relaxed, client, place, answers, changed):  # noqa: F811
    login(client, place.operator)
    form = {"uuid": str(uuid.uuid4()), "layanan": str(place.ktp.id), "readback": "live", **answers}
    form.update(changed)
    before = dump(relaxed)
    answer = client.post(
        f"/staf/kertas/{place.unit.slug}", data=form, headers={"Accept": "application/json"}
    )
    assert_refusal_changed_nothing(answer.status_code, before, dump(relaxed))


STAFF_LISTS = {
    "/staf/saran": ["q", "status", "halaman", "periode", "dari", "sampai", "layanan"],
    "/admin/log": ["aksi", "pengguna", "halaman"],
    "/staf/": ["periode", "dari", "sampai", "layanan", "cakupan"],
    "/staf/kiosk/ditandai": ["status", "halaman"],
}


@settings(max_examples=examples())
@given(
    path=st.sampled_from(sorted(STAFF_LISTS)),
    values=st.lists(text, min_size=7, max_size=7),
    periode=st.sampled_from(["", "rentang", "9999", "2025-T9", "0000", "2026-S1"]),
)
def test_staff_query_strings_never_fail(relaxed, client, place, path, values, periode):  # noqa: F811
    login(client, place.admin)
    params = dict(zip(STAFF_LISTS[path], values, strict=False))
    if periode:
        params["periode"] = periode
    answer = client.get(path, query_string=params)
    assert answer.status_code in (200, 302, 400, 404), (path, params, answer.status_code)
