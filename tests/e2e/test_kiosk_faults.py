"""The kiosk's queue when the server answers 503/507 (try again when told) or 409 (set aside).

The server's side of these answers is tested without a browser
(tests/kiosk/test_database_failures.py, tests/kiosk/test_conflicts.py);
here Chromium's requests are answered by the test (Playwright routing) to see
what survey.js does with each.
"""

from __future__ import annotations

import json
import time

import pytest

# ``office`` is the fixture of test_kiosk.py (hence F401 and F811 below).
from tests.e2e.test_kiosk import CURRENT, QUEUE, key_answer, office, rows, wait_for  # noqa: F401
from tests.support.submissions import ASKED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

REJECTED = "skm.ditolak.v1"


def pumped(page) -> bool:
    """Let Playwright run the route handlers (the sync API runs them only inside its calls)."""
    page.wait_for_timeout(50)
    return True


def answer_one_survey(page) -> None:
    page.click("text=Mulai survei")
    page.click(f"{CURRENT} label:has-text('Kartu Keluarga')")
    page.wait_for_selector("[data-step=profil-1].is-current")
    page.click(f"{CURRENT} [data-action=skip]")
    for _ in ASKED:
        key_answer(page, 3)
    page.click(f"{CURRENT} button[type=submit]")
    page.wait_for_selector("[data-step=thanks].is-current")


@pytest.mark.parametrize("status", [503, 507])
def test_a_busy_or_full_server_is_tried_again_after_retry_after(
    app,
    live_server,
    browser,
    office,  # noqa: F811
    status,
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    attempts: list[float] = []

    def busy_once(route) -> None:
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            body = json.dumps({"error": "unavailable", "message": "sibuk", "retry_after": 1})
            route.fulfill(status=status, headers={"Retry-After": "1"}, body=body)
        else:
            route.continue_()

    page.route("**/kirim", busy_once)
    page.goto(f"{live_server.url}/kiosk/{office.token}")
    answer_one_survey(page)
    assert wait_for(lambda: pumped(page) and len(rows(app)) == 1)
    assert wait_for(lambda: page.evaluate(f"localStorage.getItem('{QUEUE}')") is None)
    assert len(attempts) == 2
    # Retry-After (1 s) decided when, not the backoff after a failure (5 s).
    assert attempts[1] - attempts[0] < 4.5
    assert page.evaluate(f"localStorage.getItem('{REJECTED}')") is None
    context.close()


def test_a_conflict_is_set_aside_not_retried(app, live_server, browser, office) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    attempts: list[str] = []

    def conflict(route) -> None:
        attempts.append(route.request.url)
        body = json.dumps({"error": "conflict", "message": "sudah tersimpan dengan jawaban lain"})
        route.fulfill(status=409, body=body, headers={"Content-Type": "application/json"})

    page.route("**/kirim", conflict)
    page.goto(f"{live_server.url}/kiosk/{office.token}")
    answer_one_survey(page)
    assert wait_for(lambda: page.evaluate(f"localStorage.getItem('{REJECTED}')") is not None)
    (rejected,) = json.loads(page.evaluate(f"localStorage.getItem('{REJECTED}')"))
    assert rejected["status"] == 409
    assert json.loads(page.evaluate(f"localStorage.getItem('{QUEUE}')") or "[]") == []
    page.wait_for_timeout(6000)  # longer than the first backoff: no second attempt
    assert len(attempts) == 1
    context.close()
