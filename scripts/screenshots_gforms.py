#!/usr/bin/env python3
"""Screenshots of importing a Google Forms export as it is: the preview with
the column mapping, a column staff correct with its select, and the result.

    .venv/bin/python scripts/screenshots_gforms.py [--out screenshots/gforms]

Serves SKM on a temporary SQLite database (waitress on loopback) with one
kecamatan and the layanan of the test fixture, signs an operator in, and
uploads ``tests/paper/fixtures/google_forms_skm.csv`` with Debian's Chromium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from skm import create_app, database, migrations  # noqa: E402
from skm.units import add_layanan, create_unit, create_user  # noqa: E402
from tests.support.browser import chromium, live_server, signed_in_cookie  # noqa: E402

FIXTURE = ROOT / "tests" / "paper" / "fixtures" / "google_forms_skm.csv"


def _prepare(instance: Path):
    app = create_app(
        {"SKM_DATABASE_URL": f"sqlite:///{instance / 'skm.sqlite3'}", "INSTANCE_PATH": instance}
    )
    with app.app_context():
        migrations.create_schema(database.engine())
        session = database.session()
        unit = create_unit(session, "Kecamatan Benjeng", "kecamatan")
        add_layanan(session, unit, ["Rekomendasi KTP", "Kartu Keluarga (KK)"])
        user = create_user(session, "sri", "rahasia-sekali", "operator", unit, "Sri Wahyuni")
        session.commit()
        return app, unit.slug, user.id


def _shoot(page, out: Path, name: str) -> None:
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    print(out / f"{name}.png")


def _upload(page, url: str, path: Path) -> None:
    page.goto(url)
    page.set_input_files("input[type=file]", str(path))
    page.select_option("select[name=bagian]", "tahun")
    page.select_option("select[name=tahun]", "2025")
    page.click("text=Periksa berkas")
    page.wait_for_load_state()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "gforms")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, slug, user_id = _prepare(Path(folder))
        with live_server(app) as server, chromium() as browser:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
            context.add_cookies([signed_in_cookie(app, user_id, server.url)])
            page = context.new_page()
            url = f"{server.url}/staf/impor/{slug}"

            # The export as Google Forms writes it.
            _upload(page, url, FIXTURE)
            _shoot(page, args.out, "gforms-preview")

            # The same export with a column the office added: named, then set by staff.
            renamed = Path(folder) / "formulir-skm.csv"
            renamed.write_bytes(FIXTURE.read_bytes().replace(b"Saran dan Masukan", b"Catatan"))
            _upload(page, url, renamed)
            _shoot(page, args.out, "gforms-unknown-column")
            page.select_option("select[name=kolom-15]", "saran")
            page.click("text=Terapkan pemetaan kolom")
            page.wait_for_load_state()
            _shoot(page, args.out, "gforms-corrected")
            page.click("button:has-text('Simpan 8 respons')")
            page.wait_for_load_state()
            _shoot(page, args.out, "gforms-history")
            context.close()


if __name__ == "__main__":
    main()
