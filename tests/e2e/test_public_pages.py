"""The public results page, seen in a real browser."""

from __future__ import annotations

import pytest

from skm import database
from tests.support.factories import demo_office

pytestmark = pytest.mark.browser


def test_results_page_renders_without_any_other_host(app, live_server, browser, tmp_path) -> None:
    with app.app_context():
        session = database.session()
        summary = demo_office(session, responses=300)
        session.commit()
        slug = summary.kecamatan.slug
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{live_server.url}/hasil/{slug}?periode=2026-T3")
    assert page.locator("h2").first.inner_text() == "Triwulan III 2026"
    assert page.locator(".score-value").inner_text().count(",") == 1  # 88,31 style
    assert hosts == {f"127.0.0.1:{live_server.port}"}
    page.close()
