#!/usr/bin/env python3
"""Render the demo kabupaten's comparison report (PDF, DOCX, XLSX) and look at it.

    .venv/bin/python scripts/render_comparison.py [--out screenshots/kabupaten]
                                                  [--periode 2026-T3] [--today 2026-11-22]
                                                  [--pages]

Builds the demo kabupaten (``skm.demo.build_kabupaten_demo``: Kecamatan
Sukamaju of the ordinary demo and three more kecamatan) on a temporary
SQLite database, records the population of three kecamatan (Cisurupan's
too large for its responses, Pangalengan's left out) and the bupati's
signing official, produces the comparison exactly as the download buttons
do (``skm.reports.service.produce``) and the quarterly report of the
kecamatan as DOCX, and renders every PDF page with ``pdftoppm``. The DOCX
files are converted with LibreOffice (``soffice --headless --convert-to
pdf``) when it is installed, to see them as Word would show them. With
``--pages`` also the kabupaten dashboard (its comparison over four
periodes) in Debian's headless Chromium.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument  # noqa: E402
from skm import create_app, database, migrations  # noqa: E402
from skm.config import office_timezone  # noqa: E402
from skm.demo import build_kabupaten_demo  # noqa: E402
from skm.periode import Periode, periode_of  # noqa: E402
from skm.reports.narrative import Signatory, save_signatory  # noqa: E402
from skm.reports.service import produce  # noqa: E402
from skm.results.population import set_population  # noqa: E402
from skm.units import create_user  # noqa: E402

PASSWORD = "kata-sandi-demo"
POPULATION = {"Kecamatan Sukamaju": 5400, "Kecamatan Cipanas": 1900, "Kecamatan Cisurupan": 700}


def screenshot_dashboard(app, slug: str, periode: Periode, out: Path) -> None:
    from tests.support.browser import chromium, live_server

    with live_server(app) as server, chromium() as browser:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
        page = context.new_page()
        page.goto(server.url + "/masuk")
        page.fill("#username", "bupati")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/staf/**")
        page.goto(server.url + f"/staf/unit/{slug}/?periode={periode.code}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / "page-dasbor.png"), full_page=True)
        page.locator("#perbandingan").screenshot(path=str(out / "page-perbandingan.png"))
        print(out / "page-perbandingan.png")
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "kabupaten")
    parser.add_argument("--responses", type=int, default=4000)
    parser.add_argument("--periode", default=None, help="default: the last complete triwulan")
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--pages", action="store_true", help="also screenshot the dashboard")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm tidak ditemukan: pasang poppler-utils (apt-get install poppler-utils).")
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()

    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        app = create_app(
            {"SKM_DATABASE_URL": f"sqlite:///{instance / 'skm.sqlite3'}",
             "INSTANCE_PATH": instance}
        )  # fmt: skip
        with app.app_context():
            migrations.create_schema(database.engine())
            session = database.session()
            instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
            tz = office_timezone()
            today = args.today or datetime.now(tz).date()
            kabupaten, summaries = build_kabupaten_demo(
                session, instrument, tz, responses=args.responses, today=today
            )
            if args.periode:
                periode = Periode.parse(args.periode)
            else:
                periode = periode_of(datetime.combine(today, time(12), tzinfo=tz), "triwulan",
                                     tz).previous()  # fmt: skip
            operator = create_user(session, "operator-kab", PASSWORD, "operator", kabupaten,
                                   "Operator Kabupaten")  # fmt: skip
            create_user(session, "bupati", PASSWORD, "pimpinan", kabupaten, "Bupati Sukamaju")
            for summary in summaries:
                population = POPULATION.get(summary.kecamatan.name)
                if population:
                    set_population(session, operator, summary.kecamatan, periode, population)
            save_signatory(
                session, operator, kabupaten,
                Signatory("Bupati Sukamaju", "H. Dadang Supriatna, S.Sos., M.Si.", "", "",
                          "Sukamaju"),
            )  # fmt: skip
            session.commit()
            produced_at = datetime.combine(today, time(10), tzinfo=tz)
            files = {"rekap.pdf": ("rekap-pdf", kabupaten), "rekap.docx": ("rekap-docx", kabupaten),
                     "rekap.xlsx": ("rekap-xlsx", kabupaten),
                     "laporan-kecamatan.docx": ("docx", summaries[0].kecamatan)}  # fmt: skip
            for name, (kind, unit) in files.items():
                content = produce(session, instrument, tz, unit, periode, kind, now=produced_at)
                (args.out / name).write_bytes(content)
                print(f"{args.out / name}: {len(content):,} bytes")
            slug = kabupaten.slug
        if args.pages:
            screenshot_dashboard(app, slug, periode, args.out)
    pdfs = ["rekap"]
    if shutil.which("soffice"):
        for name in ("rekap", "laporan-kecamatan"):
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                 str(args.out / "docx"), str(args.out / f"{name}.docx")],
                check=True, capture_output=True,
            )  # fmt: skip
            shutil.move(args.out / "docx" / f"{name}.pdf", args.out / f"{name}-docx.pdf")
            pdfs.append(f"{name}-docx")
    for name in pdfs:
        subprocess.run(
            ["pdftoppm", "-r", str(args.dpi), "-png", str(args.out / f"{name}.pdf"),
             str(args.out / name)],
            check=True,
        )  # fmt: skip
    print(f"{periode.label}: {' '.join(pdfs)} -> {args.out}")


if __name__ == "__main__":
    main()
