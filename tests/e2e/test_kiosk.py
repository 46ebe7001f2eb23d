"""The kiosk and phone survey in headless Chromium, as citizens use it.

Browser tests are slow, so there are few and each covers a whole path. They
run on SQLite only: storage and idempotency are tested on both databases
without a browser (tests/kiosk).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from skm import database
from skm.kiosk.kiosks import open_kiosk
from skm.models import SurveyResponse
from skm.units import add_layanan, create_unit
from tests.support.submissions import ASKED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

QUEUE = "skm.antrean.v1"
REJECTED = "skm.ditolak.v1"
CURRENT = "[data-step].is-current"


@dataclass
class Office:
    slug: str
    token: str
    kiosk_id: int
    layanan: dict[str, int]


@pytest.fixture
def office(app) -> Office:
    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kecamatan Sukamaju", "kecamatan")
        layanan = add_layanan(session, unit, ["Kartu Keluarga", "Rekomendasi KTP"])
        kiosk = open_kiosk(session, unit, "Loket 1")
        session.commit()
        return Office(unit.slug, kiosk.token, kiosk.id, {item.name: item.id for item in layanan})


def rows(app) -> list[SurveyResponse]:
    with app.app_context():
        return list(
            database.session().scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id))
        )


def wait_for(predicate: Callable[[], bool], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def current_step(page) -> str:
    return page.get_attribute(CURRENT, "data-step")


def tap_answer(page, number: int, value: int) -> None:
    """Tap an answer as a finger would: the survey moves on by itself."""
    page.click(f"[data-step=q{number}].is-current label:has(input[value='{value}'])")
    following = f"q{number + 1}" if number < len(ASKED) else "saran"
    page.wait_for_selector(f"[data-step={following}].is-current")


def key_answer(page, value: int) -> None:
    """Choose with the keyboard (no moving on by itself), then "Lanjut"."""
    page.focus(f"{CURRENT} input[value='{value}']")
    page.keyboard.press("Space")
    page.click(f"{CURRENT} [data-action=next]")


def nothing_of_the_respondent_left(page) -> bool:
    return bool(
        page.evaluate(
            """() => document.querySelectorAll('#survey input:checked').length === 0
                 && document.querySelector('#input-saran').value === ''
                 && document.querySelector('#input-usia').value === ''"""
        )
    )


def test_kiosk_flow_light_page_self_hosted_and_nothing_left_behind(
    app, live_server, browser, office
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests: list = []

    def finished(request) -> None:
        requests.append(request)

    page.on("requestfinished", finished)
    page.goto(f"{live_server.url}/kiosk/{office.token}")
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", finished)
    # The page, its CSS, JS and icon, the first heartbeat: all from this server, < 100 KB.
    hosts = {request.url.split("/")[2] for request in requests}
    weight = sum(len(request.response().body()) for request in requests)
    assert hosts == {f"127.0.0.1:{live_server.port}"}
    assert 0 < weight < 100 * 1024, f"{weight} bytes"
    assert {request.resource_type for request in requests} >= {"document", "stylesheet", "script"}
    assert page.get_attribute("html", "lang") == "id"
    history_length = page.evaluate("history.length")

    # A token that expired while the tablet stood on the counter for weeks.
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'kedaluwarsa'")

    page.click("text=Mulai survei")
    page.click(f"{CURRENT} label:has-text('Rekomendasi KTP')")
    page.wait_for_selector("[data-step=profil-1].is-current")
    page.click(f"{CURRENT} label:has-text('Perempuan')")
    page.fill("#input-usia", "52")
    page.click(f"{CURRENT} [data-action=next]")
    page.click(f"{CURRENT} [data-action=skip]")  # no pendidikan, no pekerjaan
    assert current_step(page) == "q1"
    assert page.inner_text("#progress-text") == "Pertanyaan 1 dari 9"
    assert page.get_attribute("#progress-text", "aria-live") == "polite"
    # Targets of at least 48 px and text of at least 20 px on the kiosk.
    smallest = page.evaluate(
        """() => {
          const boxes = [...document.querySelectorAll(
            '.is-current .answer, .is-current .button')].map(e => e.getBoundingClientRect());
          const texts = [...document.querySelectorAll('.is-current *, .topbar *')]
            .filter(e => e.offsetParent !== null && e.childNodes.length
                    && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(e => parseFloat(getComputedStyle(e).fontSize));
          return {width: Math.min(...boxes.map(b => b.width)),
                  height: Math.min(...boxes.map(b => b.height)),
                  font: Math.min(...texts)};
        }"""
    )
    assert smallest["width"] >= 48 and smallest["height"] >= 48 and smallest["font"] >= 20

    given = [4, 3, 3, 2, 4, 4, 3, 1, 2]
    for number, value in enumerate(given, start=1):
        tap_answer(page, number, value)
    page.fill("#input-saran", "Kursi ruang tunggu kurang.")
    page.click(f"{CURRENT} button[type=submit]")
    page.wait_for_selector("[data-step=thanks].is-current")

    assert wait_for(lambda: len(rows(app)) == 1)
    # Refused with the stale token, the page fetched a fresh one and sent again.
    assert page.input_value("input[name=csrf_token]") != "kedaluwarsa"
    (row,) = rows(app)
    assert (row.channel, row.kiosk_id, row.layanan_id) == (
        "kiosk", office.kiosk_id, office.layanan["Rekomendasi KTP"],
    )  # fmt: skip
    by_key = dict(zip(ASKED, given, strict=True))
    assert (row.u01, row.u08, row.u09) == (
        by_key["persyaratan"], by_key["pengaduan"], by_key["sarana"],
    )  # fmt: skip
    assert (row.jenis_kelamin, row.usia, row.pendidikan) == ("P", 52, None)
    assert row.saran == "Kursi ruang tunggu kurang."

    # Delivered: the queue is empty, the form is empty, and on the kiosk the
    # back button has nowhere to go (history is only ever replaced).
    assert wait_for(lambda: page.evaluate(f"localStorage.getItem('{QUEUE}')") is None)
    assert nothing_of_the_respondent_left(page)
    assert page.evaluate("history.length") == history_length
    page.click("text=Selesai")
    assert current_step(page) == "welcome"
    context.close()


def test_phone_flow_keyboard_and_back_button(app, live_server, browser, office) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/survei/{office.slug}")
    page.click("text=Mulai survei")
    page.click(f"{CURRENT} label:has-text('Kartu Keluarga')")
    page.wait_for_selector("[data-step=profil-1].is-current")
    page.click(f"{CURRENT} [data-action=skip]")
    # Screen-reader names of the answers are their official labels.
    page.get_by_role("radio", name="Kurang sesuai").focus()
    page.keyboard.press("Space")
    assert current_step(page) == "q1"  # chosen with the keyboard: waits for "Lanjut"
    page.click(f"{CURRENT} [data-action=next]")
    assert current_step(page) == "q2"
    page.click(f"{CURRENT} [data-action=back]")
    assert current_step(page) == "q1"
    assert page.is_checked(f"{CURRENT} input[value='2']")  # the same respondent's answer
    page.click(f"{CURRENT} [data-action=next]")
    for number in range(2, 10):
        key_answer(page, 4)
        assert current_step(page) == ("saran" if number == 9 else f"q{number + 1}")
    page.click(f"{CURRENT} button[type=submit]")
    page.wait_for_selector("[data-step=thanks].is-current")
    assert wait_for(lambda: len(rows(app)) == 1)
    (row,) = rows(app)
    assert (row.channel, row.kiosk_id, row.u01) == ("web", None, 2)

    # The next person presses "back": the welcome screen, not the last answers.
    page.go_back()
    page.wait_for_selector("[data-step=welcome].is-current")
    assert nothing_of_the_respondent_left(page)
    page.go_back()
    page.wait_for_selector("[data-step=welcome].is-current")
    assert nothing_of_the_respondent_left(page)
    context.close()


def test_plain_form_without_javascript(app, live_server, browser, office) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/survei/{office.slug}")
    assert page.is_visible("text=Jawab 9 pertanyaan di bawah")
    page.click("label:has-text('Kartu Keluarga')")
    for unsur in ASKED[:-1]:  # the last question forgotten
        page.click(f"label:has(input[name={unsur}][value='3'])")
    page.click("button[type=submit]")
    assert page.is_visible("text=Pertanyaan 9 belum dijawab.")
    assert page.is_checked(f"input[name={ASKED[0]}][value='3']")  # answers kept
    assert rows(app) == []
    page.click(f"label:has(input[name={ASKED[-1]}][value='2'])")
    page.click("button[type=submit]")
    page.wait_for_url("**/terima-kasih")
    assert page.is_visible("text=Terima kasih!")
    (row,) = rows(app)
    assert (row.channel, row.layanan_id) == ("web", office.layanan["Kartu Keluarga"])
    assert row.u08 == 2 and row.started_at is not None  # pengaduan, asked last
    context.close()


def test_idle_kiosk_asks_then_starts_over_empty(app, live_server, browser, office) -> None:
    app.config.update(SKM_KIOSK_IDLE_SECONDS=1, SKM_KIOSK_COUNTDOWN_SECONDS=2)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/{office.token}")
    page.click("text=Mulai survei")
    page.click(f"{CURRENT} label:has-text('Kartu Keluarga')")
    page.wait_for_selector("[data-step=profil-1].is-current")
    page.click(f"{CURRENT} label:has-text('Laki-laki')")

    # Still there: the answers stay.
    page.wait_for_selector("#idle-dialog:not([hidden])", timeout=5000)
    assert page.is_visible("text=Masih di sini?")
    page.click("text=Ya, lanjutkan")
    assert page.is_hidden("#idle-dialog")
    assert current_step(page) == "profil-1" and page.is_checked("input[value=L]")

    # Walked away: after the countdown, the welcome screen and nothing else.
    page.wait_for_selector("#idle-dialog:not([hidden])", timeout=5000)
    page.wait_for_selector("[data-step=welcome].is-current", timeout=5000)
    assert page.is_hidden("#idle-dialog")
    assert nothing_of_the_respondent_left(page)
    assert rows(app) == []
    context.close()


def surveys_while_offline(app, live_server, browser, office, values):
    """A kiosk page whose server then goes down, and one survey answered with
    each of ``values`` (every question the same); the server stays down."""
    app.config.update(SKM_SURVEY_THANKS_SECONDS=1)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/{office.token}")
    page.wait_for_load_state("networkidle")
    live_server.stop()
    for value in values:
        page.click("text=Mulai survei")
        page.click(f"{CURRENT} label:has-text('Kartu Keluarga')")
        page.wait_for_selector("[data-step=profil-1].is-current")
        page.click(f"{CURRENT} [data-action=skip]")
        for _ in ASKED:
            key_answer(page, value)
        page.click(f"{CURRENT} button[type=submit]")
        # Thanked although nothing could be sent; back to the start by itself.
        page.wait_for_selector("[data-step=thanks].is-current")
        page.wait_for_selector("[data-step=welcome].is-current", timeout=5000)
    return context, page


def test_offline_surveys_are_delivered_once_when_the_server_is_back(
    app, live_server, browser, office
) -> None:
    context, page = surveys_while_offline(app, live_server, browser, office, (1, 2, 4))

    queued = json.loads(page.evaluate(f"localStorage.getItem('{QUEUE}')"))
    assert [item["body"]["answers"]["persyaratan"] for item in queued] == [1, 2, 4]
    assert page.inner_text("#kiosk-status") == "Tidak tersambung · 3 menunggu dikirim"
    assert rows(app) == []

    live_server.start()
    page.reload()  # the queue survives a reload, and is sent on load
    assert wait_for(lambda: len(rows(app)) == 3)
    assert wait_for(lambda: page.evaluate(f"localStorage.getItem('{QUEUE}')") is None)
    stored = rows(app)
    assert [str(row.uuid) for row in stored] == [item["body"]["uuid"] for item in queued]
    assert [row.u01 for row in stored] == [1, 2, 4]  # oldest first
    time.sleep(0.5)
    assert len(rows(app)) == 3  # exactly three: nothing delivered twice
    context.close()


def test_a_survey_the_server_refuses_is_set_aside_and_the_queue_moves_on(
    app, live_server, browser, office
) -> None:
    """A refused item (422, or any 4xx but 408/429) is kept aside on the tablet,
    counted on the kiosk's status, and the surveys behind it are delivered."""
    context, page = surveys_while_offline(app, live_server, browser, office, (1, 2, 3, 4))
    queued = json.loads(page.evaluate(f"localStorage.getItem('{QUEUE}')"))
    # The first survey is damaged in storage: the server answers 422 for it.
    queued[0]["body"]["answers"]["persyaratan"] = 9
    page.evaluate(f"localStorage.setItem('{QUEUE}', {json.dumps(json.dumps(queued))})")
    refused_uuid = queued[1]["body"]["uuid"]
    busy_uuid = queued[2]["body"]["uuid"]
    busy_answers = []

    def answer(route, request) -> None:
        uuid = json.loads(request.post_data or "{}").get("uuid")
        if uuid == refused_uuid:  # a conflict: never deliverable
            route.fulfill(status=409, content_type="application/json", body='{"error": "conflict"}')
        elif uuid == busy_uuid and not busy_answers:  # busy once: tried again, not set aside
            busy_answers.append(uuid)
            route.fulfill(status=503, content_type="application/json", body="{}")
        else:
            route.continue_()

    page.route("**/kirim", answer)
    live_server.start()
    page.reload()
    # Waiting through the page: the route handler above runs only inside Playwright calls.
    for _ in range(300):
        if len(rows(app)) == 2 and page.evaluate(f"localStorage.getItem('{QUEUE}')") is None:
            break
        page.wait_for_timeout(100)
    stored = rows(app)
    assert sorted(str(row.uuid) for row in stored) == sorted([busy_uuid, queued[3]["body"]["uuid"]])
    aside = json.loads(page.evaluate(f"localStorage.getItem('{REJECTED}')"))
    assert [(item["body"]["uuid"], item["status"]) for item in aside] == [
        (queued[0]["body"]["uuid"], 422),
        (refused_uuid, 409),
    ]
    page.wait_for_function(
        "document.querySelector('#kiosk-status').textContent.includes('2 ditolak server')"
    )
    if shots := os.environ.get("SKM_SHOTS_DIR"):
        page.screenshot(path=f"{shots}/kiosk_set_aside.png")
    context.close()
