"""The staff dashboard in a real browser: sign in, numbers, every chart drawn."""

from __future__ import annotations

import pytest

from skm import database
from skm.units import create_user
from tests.support.factories import demo_office

pytestmark = pytest.mark.browser


def test_sign_in_and_see_the_dashboard(app, live_server, browser) -> None:
    with app.app_context():
        session = database.session()
        summary = demo_office(session, responses=300)
        create_user(session, "camat", "rahasia-sekali", "pimpinan", summary.kecamatan, "Camat")
        session.commit()
        slug = summary.kecamatan.slug
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{live_server.url}/staf/unit/{slug}/?periode=2026-T3")
    assert "/masuk" in page.url  # sent to sign in first, and back afterwards
    page.fill("#username", "camat")
    page.fill("#password", "rahasia-sekali")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/staf/unit/{slug}/?periode=2026-T3")
    assert page.locator("h1").inner_text() == "Kecamatan Sukamaju"
    assert page.locator("[data-testid=konversi]").inner_text().count(",") == 1
    page.wait_for_load_state("networkidle")
    images = page.locator("img.chart")
    assert images.count() >= 7
    widths = images.evaluate_all("images => images.map(i => i.complete && i.naturalWidth)")
    assert all(width and width > 600 for width in widths), widths
    # The date fields appear only for a date range.
    assert not page.locator("#dari").is_visible()
    page.select_option("#periode", "rentang")
    assert page.locator("#dari").is_visible()
    assert hosts == {f"127.0.0.1:{live_server.port}"}
    page.close()
