#!/usr/bin/env python3
"""Render the demo quarter's SKM report to PNG pages, to look at it as a camat would.

    .venv/bin/python scripts/render_report.py [--out screenshots/report] [--responses 4000]
                                              [--periode 2026-T3] [--today 2026-11-22]

Builds the demo kecamatan (``skm.demo.build_demo``: five kelurahan, four
triwulan of responses) on a temporary SQLite database, adds what staff
enter before exporting (population, rencana tindak lanjut, the signing
official), produces the full report and the notice-board summary exactly
as the download buttons do (``skm.reports.service.produce``), and renders
every page with ``pdftoppm`` (poppler-utils). Without ``--periode`` the
last complete triwulan is used. Output (git-ignored): ``laporan.pdf``,
``laporan-NN.png`` (one per page), ``ringkasan.pdf``, ``ringkasan-1.png``,
``tabulasi.xlsx`` and ``respons.csv``. With ``--pages`` also the staff
pages that lead there, in Debian's headless Chromium (Playwright, from the
``test`` extra): ``page-dasbor.png`` (the download links on the dashboard),
``page-laporan.png`` (the report page of an operator) and
``page-laporan-pimpinan.png`` (read-only).
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
from skm.demo import build_demo  # noqa: E402
from skm.periode import Periode, periode_of  # noqa: E402
from skm.reports.narrative import Signatory, save_signatory  # noqa: E402
from skm.reports.service import produce  # noqa: E402
from skm.results.population import set_population  # noqa: E402
from skm.results.rencana import RencanaInput, create_rencana  # noqa: E402
from skm.units import create_user  # noqa: E402

PASSWORD = "kata-sandi-demo"

RENCANA = (
    ("waktu", "Menambah satu loket pada jam sibuk (08.00–11.00) dan menayangkan nomor antrean "
     "di layar ruang tunggu.", (1, 2), "Sekretaris Kecamatan"),
    ("pengaduan", "Menyediakan kotak dan nomor WhatsApp pengaduan yang dipantau setiap hari, "
     "serta mengumumkan tindak lanjutnya setiap bulan di papan pengumuman.", (1,),
     "Kepala Seksi Pelayanan"),
    ("sarana", "Menambah kursi tunggu, kipas angin dan air minum di ruang pelayanan.", (2, 3),
     "Kepala Subbagian Umum dan Kepegawaian"),
)  # fmt: skip


def screenshot_pages(app, slug: str, periode: Periode, out: Path) -> None:
    """The dashboard's download links and the report page, as an operator and a pimpinan."""
    from tests.support.browser import chromium, live_server

    query = f"?periode={periode.code}"
    with live_server(app) as server, chromium() as browser:
        for username, shots in (
            ("operator", [("page-dasbor", f"/staf/unit/{slug}/{query}", False),
                          ("page-laporan", f"/staf/laporan/{slug}/{query}", True)]),
            ("camat", [("page-laporan-pimpinan", f"/staf/laporan/{slug}/{query}", True)]),
        ):  # fmt: skip
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
            page = context.new_page()
            page.goto(server.url + "/masuk")
            page.fill("#username", username)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/staf/**")
            for name, url, full in shots:
                page.goto(server.url + url)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / f"{name}.png"), full_page=full)
                print(f"{out / name}.png")
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "report")
    parser.add_argument("--responses", type=int, default=4000)
    parser.add_argument("--periode", default=None, help="default: the last complete triwulan")
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--pages", action="store_true", help="also screenshot the staff pages")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm tidak ditemukan: pasang poppler-utils (apt-get install poppler-utils).")
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()

    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        app = create_app(
            {
                "SKM_DATABASE_URL": f"sqlite:///{instance / 'skm.sqlite3'}",
                "INSTANCE_PATH": instance,
            }
        )
        with app.app_context():
            migrations.create_schema(database.engine())
            session = database.session()
            instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
            tz = office_timezone()
            today = args.today or datetime.now(tz).date()
            demo = build_demo(session, instrument, tz, responses=args.responses, today=today)
            kecamatan = demo.kecamatan
            if args.periode:
                periode = Periode.parse(args.periode)
            else:
                noon = datetime.combine(today, time(12), tzinfo=tz)
                periode = periode_of(noon, "triwulan", tz).previous()
            operator = create_user(
                session, "operator", PASSWORD, "operator", kecamatan, "Siti Rahmawati"
            )
            create_user(session, "camat", PASSWORD, "pimpinan", kecamatan, "Camat Sukamaju")
            set_population(session, operator, kecamatan, periode, 5400, "buku register")
            for key, program, quarters, responsible in RENCANA:
                create_rencana(
                    session, operator, instrument, kecamatan, periode,
                    RencanaInput(key, program, quarters, responsible),
                )  # fmt: skip
            save_signatory(
                session,
                operator,
                kecamatan,
                Signatory(
                    "Camat Sukamaju",
                    "Drs. H. Ahmad Sutisna, M.Si.",
                    "Pembina Tingkat I (IV/b)",
                    "19700101 199003 1 001",
                    "Sukamaju",
                ),
            )
            session.commit()
            files = {
                "laporan.pdf": "pdf",
                "laporan.docx": "docx",
                "ringkasan.pdf": "ringkasan",
                "tabulasi.xlsx": "xlsx",
                "respons.csv": "csv",
            }
            produced_at = datetime.combine(today, time(10), tzinfo=tz)
            for name, kind in files.items():
                content = produce(
                    session, instrument, tz, kecamatan, periode, kind, now=produced_at
                )
                (args.out / name).write_bytes(content)
                print(f"{args.out / name}: {len(content):,} bytes")
            slug = kecamatan.slug
        if args.pages:
            screenshot_pages(app, slug, periode, args.out)
    for name in ("laporan", "ringkasan"):
        subprocess.run(
            ["pdftoppm", "-r", str(args.dpi), "-png", str(args.out / f"{name}.pdf"),
             str(args.out / name)],
            check=True,
        )  # fmt: skip
    pages = sorted(args.out.glob("laporan-*.png"))
    print(f"{periode.label}: {len(pages)} halaman laporan -> {args.out}")


if __name__ == "__main__":
    main()
