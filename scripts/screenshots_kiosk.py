#!/usr/bin/env python3
"""Screenshots of every kiosk screen, to look at them as a citizen would.

    .venv/bin/python scripts/screenshots_kiosk.py [--out screenshots/kiosk]

Serves SKM with a sample kecamatan on a temporary SQLite database (waitress
on loopback), drives Debian's Chromium (/usr/bin/chromium) through each
screen of the kiosk survey at 1280x800 (10-inch tablet, landscape),
800x1280 (portrait) and 360x740 (phone), plus the plain form without
JavaScript and the staff kiosk pages, and writes PNG files into the output
folder (git-ignored).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from skm import create_app, database, migrations  # noqa: E402
from skm.demo import LAYANAN_KECAMATAN  # noqa: E402
from skm.kiosk.kiosks import open_kiosk  # noqa: E402
from skm.units import add_layanan, create_unit, create_user  # noqa: E402
from tests.support.browser import chromium, live_server, signed_in_cookie  # noqa: E402

VIEWPORTS = {"1280x800": (1280, 800), "800x1280": (800, 1280), "360x740": (360, 740)}


def _prepare(instance: Path):
    app = create_app(
        {
            "SKM_DATABASE_URL": f"sqlite:///{instance / 'skm.sqlite3'}",
            "INSTANCE_PATH": instance,
            # Long enough not to interrupt the screenshots; the idle screen
            # is shot with a shorter setting below.
            "SKM_KIOSK_IDLE_SECONDS": 600,
            "SKM_SURVEY_THANKS_SECONDS": 600,
        }
    )
    with app.app_context():
        migrations.create_schema(database.engine())
        session = database.session()
        unit = create_unit(session, "Kecamatan Sukamaju", "kecamatan")
        layanan = add_layanan(session, unit, list(LAYANAN_KECAMATAN))
        kiosk = open_kiosk(session, unit, "Loket 1")
        closed = open_kiosk(session, unit, "Ruang tunggu", layanan[0])
        closed.active = False
        user = create_user(session, "admin", "rahasia-sekali", "admin", unit, "Administrator")
        session.commit()
        return app, unit.slug, kiosk.token, closed.token, user.id


def _shoot(page, out: Path, name: str) -> None:
    page.wait_for_timeout(250)  # let the progress bar and focus settle
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def kiosk_screens(browser, app, url: str, closed_url: str, out: Path, size: str) -> None:
    width, height = VIEWPORTS[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.goto(url)
    _shoot(page, out, f"{size}-01-welcome")
    page.click("text=Mulai survei")
    _shoot(page, out, f"{size}-02-layanan")
    page.click("label.choice >> nth=1")
    page.wait_for_selector("[data-step=profil-1].is-current")
    _shoot(page, out, f"{size}-03-profil-1")
    page.click("[data-step=profil-1].is-current label.choice >> nth=1")
    page.fill("#input-usia", "47")
    page.click("[data-step=profil-1].is-current [data-action=next]")
    _shoot(page, out, f"{size}-04-profil-2")
    page.click("[data-step=profil-2].is-current [data-action=next]")
    _shoot(page, out, f"{size}-05-pertanyaan-1")
    for number in range(1, 9):
        page.click(f"[data-step=q{number}].is-current label.answer >> nth=2")
        page.wait_for_selector(f"[data-step=q{number + 1}].is-current")
    page.click("[data-step=q9].is-current [data-action=next]")
    _shoot(page, out, f"{size}-06-pertanyaan-9-belum-dijawab")
    # Chosen with the keyboard, so that the screen stays to be seen.
    page.focus("[data-step=q9].is-current input[value='3']")
    page.keyboard.press("Space")
    _shoot(page, out, f"{size}-07-pertanyaan-9-dipilih")
    page.click("[data-step=q9].is-current [data-action=next]")
    page.fill("#input-saran", "Ruang tunggu sudah nyaman, tetapi antrean pagi panjang.")
    _shoot(page, out, f"{size}-08-saran")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-step=thanks].is-current")
    _shoot(page, out, f"{size}-09-terima-kasih")
    app.config["SKM_KIOSK_IDLE_SECONDS"] = 1
    page.goto(url)
    page.click("text=Mulai survei")
    page.wait_for_selector("#idle-dialog:not([hidden])", timeout=10_000)
    app.config["SKM_KIOSK_IDLE_SECONDS"] = 600
    _shoot(page, out, f"{size}-10-masih-di-sini")
    page.goto(closed_url)
    _shoot(page, out, f"{size}-11-kios-ditutup")
    context.close()


def plain_form(browser, url: str, out: Path, size: str) -> None:
    width, height = VIEWPORTS[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(url)
    page.screenshot(path=str(out / f"{size}-20-tanpa-js.png"))
    page.click("button[type=submit]")
    page.screenshot(path=str(out / f"{size}-21-tanpa-js-galat.png"))
    context.close()


def staff_pages(browser, app, base: str, slug: str, user_id: int, out: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([signed_in_cookie(app, user_id, base)])
    page = context.new_page()
    page.goto(f"{base}/staf/kiosk/")
    page.screenshot(path=str(out / "staf-1-kios.png"), full_page=True)
    page.click("text=Loket 1")
    page.screenshot(path=str(out / "staf-2-pasang-tablet.png"), full_page=True)
    page.goto(f"{base}/staf/kiosk/qr/{slug}")
    page.screenshot(path=str(out / "staf-3-qr.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(out / "staf-4-qr-cetak.png"), full_page=True)
    page.emulate_media(media="screen")
    page.goto(f"{base}/staf/kiosk/ditandai")
    page.screenshot(path=str(out / "staf-5-ditandai.png"), full_page=True)
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "kiosk")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, slug, token, closed_token, user_id = _prepare(Path(folder))
        with live_server(app) as server, chromium() as browser:
            for size in VIEWPORTS:
                kiosk_url = f"{server.url}/kiosk/{token}"
                closed_url = f"{server.url}/kiosk/{closed_token}"
                kiosk_screens(browser, app, kiosk_url, closed_url, args.out, size)
                plain_form(browser, f"{server.url}/survei/{slug}", args.out, size)
            staff_pages(browser, app, server.url, slug, user_id, args.out)
        app.extensions["skm.engine"].dispose()
    print(f"Tangkapan layar tersimpan di {args.out}")


if __name__ == "__main__":
    main()
