"""Pages render and work under the Content-Security-Policy: no violation in Chromium.

The policy refuses inline script, style attributes and event handlers; a
page that still had one would lose it silently (a confirmation that never
asks, a bar without length). Chromium reports each refusal as a
``securitypolicyviolation`` event, collected here page by page. With
``SKM_SCREENSHOTS=<folder>`` each page is also saved as a PNG.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skm import database
from skm.kiosk.kiosks import open_kiosk
from skm.tokens import create_token
from skm.units import create_user
from tests.support.factories import demo_office

pytestmark = pytest.mark.browser

PASSWORD = "meja-hujan-kopi-pagi"

COLLECT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__violations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline')
    + ' ' + (event.sourceFile || '') + ':' + (event.lineNumber || ''));
});
"""


def shoot(page, name: str) -> None:
    folder = os.environ.get("SKM_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_pages_work_under_the_policy(app, live_server, browser) -> None:
    with app.app_context():
        session = database.session()
        summary = demo_office(session, responses=300)
        create_user(session, "admin.uji", PASSWORD, "admin", summary.kecamatan, "Admin Uji")
        kiosk = open_kiosk(session, summary.kecamatan, "Loket CSP")
        create_token(session, "Sistem uji", summary.kecamatan)
        session.commit()
        slug, secret = summary.kecamatan.slug, kiosk.token
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(COLLECT)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    base = live_server.url
    seen: dict[str, list[str]] = {}

    def visit(name: str, path: str) -> None:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        page.wait_for_load_state("networkidle")
        seen[name] = page.evaluate("window.__violations")
        shoot(page, name)

    visit("public-index", "/")
    visit("public-hasil", f"/hasil/{slug}?periode=2026-T3")
    visit("sign-in", "/masuk")
    page.fill("#username", "admin.uji")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/staf/**")
    for name, path in [
        ("dashboard", f"/staf/unit/{slug}/?periode=2026-T3"),
        ("saran", f"/staf/unit/{slug}/saran?periode=2026-T3"),
        ("rencana", f"/staf/unit/{slug}/rencana?periode=2026-T3"),
        ("admin-units", "/admin/unit"),
        ("admin-tokens", "/admin/token"),
        ("iku", f"/staf/iku/{slug}"),
        ("reports", f"/staf/laporan/{slug}/?periode=2026-T3"),
        ("kiosk-admin", "/staf/kiosk/"),
        ("qr-poster", f"/staf/kiosk/qr/{slug}"),
    ]:
        visit(name, path)
    # The data-bar lengths are set by script, not style attributes.
    bars = page.locator("[data-bar]")
    if bars.count():
        widths = bars.evaluate_all("bars => bars.map(b => b.style.width)")
        assert all(width.endswith("%") for width in widths), widths
    # A confirmation (data-confirm) still asks before revoking a token.
    page.goto(base + "/admin/token")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button").first.click()
    assert asked and "Cabut token" in asked[0]
    seen["admin-tokens-confirm"] = page.evaluate("window.__violations")

    kiosk_page = browser.new_page(viewport={"width": 1024, "height": 768})
    kiosk_page.add_init_script(COLLECT)
    kiosk_page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    kiosk_page.goto(f"{base}/kiosk/{secret}")
    kiosk_page.wait_for_load_state("networkidle")
    kiosk_page.click("text=Mulai survei")
    kiosk_page.wait_for_timeout(300)
    shoot(kiosk_page, "kiosk")
    seen["kiosk"] = kiosk_page.evaluate("window.__violations")
    kiosk_page.close()
    page.close()

    violations = {name: found for name, found in seen.items() if found}
    assert not violations, violations
    assert not [e for e in errors if "Content Security Policy" in e], errors
