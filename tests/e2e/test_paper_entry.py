"""Paper entry in a real browser, with the keyboard only.

Fifty paper forms take exactly 50 x (9 answers + Enter) = 500 key presses:
every key press goes through ``press`` below, which counts them.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from questionnaires import get_instrument
from skm import database
from skm.models import SurveyResponse
from tests.paper.helpers import make_place
from tests.support.browser import signed_in_cookie

pytestmark = pytest.mark.browser


@pytest.fixture
def database_url(tmp_path) -> str:
    """SQLite only: this test is about the keyboard flow in the browser (some 560 key
    presses); storing paper forms on PostgreSQL is tested in tests/paper."""
    return f"sqlite:///{tmp_path / 'paper.sqlite3'}"


INSTRUMENT = get_instrument("permenpan-14-2017")
FORMS = 50


def signed_in_page(app, browser, live_server, user_id: int):
    """A page whose session cookie signs ``user_id`` in, made the way Flask makes it."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    context.add_cookies([signed_in_cookie(app, user_id, live_server.url)])
    return context, context.new_page()


def forms(seed: int = 14) -> list[str]:
    """Fifty different answer sheets as typed: digits, the paper's letters, 0 for a blank."""
    rng = random.Random(seed)
    typed: list[str] = []
    while len(typed) < FORMS:
        keys = "".join(rng.choice("12344433dc0") for _ in range(9))
        if keys.count("0") < 9 and (not typed or keys != typed[-1]):
            typed.append(keys)
    return typed


def score(key: str) -> int | None:
    return None if key == "0" else {"a": 1, "b": 2, "c": 3, "d": 4}.get(key) or int(key)


def test_fifty_forms_take_500_key_presses(app, browser, live_server) -> None:
    with app.app_context():
        place = make_place(database.session())
    context, page = signed_in_page(app, browser, live_server, place.operator_id)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    presses: list[str] = []

    def press(key: str) -> None:
        presses.append(key)
        page.keyboard.press(key)

    page.goto(f"{live_server.url}/staf/kertas/{place.slug}?layanan={place.kk_id}")
    # Waits go through locators: the page's Content-Security-Policy refuses the
    # string evaluation wait_for_function would run in it.
    page.locator("[name='q_persyaratan']:focus").wait_for()

    typed = forms()
    for number, keys in enumerate(typed, start=1):
        for key in keys:
            press(key)
        if number == 1:
            # Before the first Enter, the read-back shows what will be saved, worded.
            readback = page.locator("#readback-list").inner_text()
            q8 = INSTRUMENT.questions[7]
            assert f"8. Sarana dan Prasarana (U9)\n{score(keys[7]) or ''}" in readback or (
                keys[7] == "0" and "8. Sarana dan Prasarana (U9)\ntidak dijawab" in readback
            )
            if keys[7] != "0":
                assert q8.option_for(score(keys[7])).label in readback
            assert "Kartu Keluarga (KK)" in readback
            assert page.evaluate("document.activeElement.id") == "save-button"
        press("Enter")
    expect(page.locator("#entry-count")).to_have_text(str(FORMS), timeout=60_000)
    assert len(presses) == FORMS * (INSTRUMENT.n_unsur + 1) == 500

    with app.app_context():
        rows = (
            database.session().scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)).all()
        )
    assert len(rows) == FORMS
    tz = ZoneInfo("Asia/Jakarta")
    today = datetime.now(UTC).astimezone(tz).date()
    for keys, response in zip(typed, rows, strict=True):
        expected = {
            q.unsur_key: score(key) for q, key in zip(INSTRUMENT.questions, keys, strict=True)
        }
        stored = {u.key: getattr(response, f"u{u.position + 1:02d}") for u in INSTRUMENT.unsur}
        assert stored == expected
        assert response.layanan_id == place.kk_id and response.channel == "paper"
        assert response.submitted_at.astimezone(tz).date() == today
        assert response.submitted_at.astimezone(tz).hour == 12

    # The same sheet typed again right away: the operator is asked; Esc keeps it unsaved,
    # S saves it anyway.
    for key in typed[-1]:
        press(key)
    press("Enter")
    page.locator("#duplicate-dialog").wait_for(state="visible")
    press("Escape")
    assert page.locator("#entry-count").inner_text() == str(FORMS)
    press("Enter")
    page.locator("#duplicate-dialog").wait_for(state="visible")
    press("s")
    expect(page.locator("#entry-count")).to_have_text(str(FORMS + 1), timeout=60_000)

    # The profile, by keyboard: back from question 1 to it, one key per field.
    for key in ["ArrowLeft"] * 4 + ["p", "4", "5", "3", "4"] + list("333333333") + ["Enter"]:
        press(key)
    expect(page.locator("#entry-count")).to_have_text(str(FORMS + 2), timeout=60_000)
    with app.app_context():
        last = (
            database.session()
            .scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id.desc()))
            .first()
        )
    assert (last.jenis_kelamin, last.usia, last.pendidikan, last.pekerjaan) == (
        "P",
        45,
        "sma",
        "swasta",
    )
    assert hosts == {f"127.0.0.1:{live_server.port}"}  # nothing from any other host
    context.close()
