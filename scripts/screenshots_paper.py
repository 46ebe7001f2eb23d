#!/usr/bin/env python3
"""Screenshots of paper entry, tabulation import and the IKU table, to look at them
as an operator and a camat would.

    .venv/bin/python scripts/screenshots_paper.py [--out screenshots/paper]

Serves SKM with the demo kecamatan (its survey and the Bantargebah IKU) on a
temporary SQLite database (waitress on loopback), signs an operator in,
drives Debian's Chromium (/usr/bin/chromium) with the keyboard through the
entry screen, uploads a tabulation with mistakes and a good one, and opens
the IKU pages; writes PNG files into the output folder (git-ignored).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaires import get_instrument  # noqa: E402
from skm import create_app, database, migrations  # noqa: E402
from skm.demo import build_demo  # noqa: E402
from skm.units import create_user  # noqa: E402
from tests.support.browser import chromium, live_server, signed_in_cookie  # noqa: E402

BAD_TABULATION = """No;tanggal;layanan;jenis_kelamin;usia;U1;U2;U3;U4;U5;U6;U7;U8;U9
1;{d1};Kartu Keluarga (KK);P;34;4;4;3;4;3;3;4;3;3
2;{d2};Akta Kelahiran;L;51;3;5;3;4;3;3;3;;2
3;31/02/{y};Surat Nikah;L;29;4;4;4;4;4;4;4;4;4
4;{d1};Legalisasi Dokumen;X;7;4;4;baik;4;4;4;4;4;4
5;{d2};;;;;;;;;;;;
"""

GOOD_TABULATION = """No;tanggal;layanan;jenis_kelamin;usia;U1;U2;U3;U4;U5;U6;U7;U8;U9
1;{d1};Kartu Keluarga (KK);P;34;4;4;3;4;3;3;4;3;3
2;{d2};Akta Kelahiran;L;51;3;3;3;4;3;3;3;;2
3;{d2};Legalisasi Dokumen;L;29;4;4;4;4;4;4;4;4;4
"""


def _prepare(instance: Path):
    app = create_app(
        {"SKM_DATABASE_URL": f"sqlite:///{instance / 'skm.sqlite3'}", "INSTANCE_PATH": instance}
    )
    tz = ZoneInfo(app.config["SKM_TIMEZONE"])
    today = datetime.now(UTC).astimezone(tz).date()
    with app.app_context():
        migrations.create_schema(database.engine())
        session = database.session()
        summary = build_demo(session, get_instrument("permenpan-14-2017"), tz,
                             responses=1500, today=today)  # fmt: skip
        user = create_user(session, "sri", "rahasia-sekali", "operator", summary.kecamatan,
                           "Sri Wahyuni")  # fmt: skip
        kk = next(item for item in summary.kecamatan.layanan if item.name.startswith("Kartu"))
        session.commit()
        return app, summary.kecamatan.slug, user.id, kk.id, today


def _shoot(page, out: Path, name: str, full_page: bool = True) -> None:
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"), full_page=full_page)
    print(out / f"{name}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "paper")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, slug, user_id, kk_id, today = _prepare(Path(folder))
        with live_server(app) as server, chromium() as browser:
            cookie = signed_in_cookie(app, user_id, server.url)
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
            context.add_cookies([cookie])
            page = context.new_page()

            # Entry: three forms saved, the fourth half typed, with a profile.
            page.goto(f"{server.url}/staf/kertas/{slug}?layanan={kk_id}")
            for keys in ("443444434", "33d333323", "4444c4440"):
                for key in keys:
                    page.keyboard.press(key)
                page.keyboard.press("Enter")
                page.wait_for_timeout(150)
            for key in ["ArrowLeft"] * 4 + ["p", "4", "7", "3", "5"] + list("34433"):
                page.keyboard.press(key)
            _shoot(page, args.out, "entry")
            # The same sheet twice in a row: the operator is asked before it is saved.
            page.keyboard.press("Escape")
            for _ in range(2):
                for key in "33d333323":
                    page.keyboard.press(key)
                page.keyboard.press("Enter")
                page.wait_for_timeout(400)
            page.locator("#duplicate-dialog").wait_for(state="visible")
            _shoot(page, args.out, "entry-duplicate", full_page=False)
            page.keyboard.press("Escape")

            # Without JavaScript: the same page as a plain form, read back by the server.
            plain = browser.new_context(
                viewport={"width": 1366, "height": 900}, locale="id-ID", java_script_enabled=False
            )
            plain.add_cookies([cookie])
            nojs = plain.new_page()
            nojs.goto(f"{server.url}/staf/kertas/{slug}?layanan={kk_id}")
            for name, value in zip(
                ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi",
                 "perilaku", "sarana", "pengaduan"),
                "3343d3320",
                strict=True,
            ):  # fmt: skip
                nojs.fill(f"[name=q_{name}]", value)
            nojs.fill("[name=p_jenis_kelamin]", "L")
            nojs.click("#save-button")
            nojs.wait_for_load_state()
            _shoot(nojs, args.out, "entry-nojs-readback")
            plain.close()

            # Import: a tabulation with mistakes, then a good one.
            days = {"d1": f"{today:%d/%m/%Y}", "d2": f"{today:%Y-%m-%d}", "y": today.year}
            for name, text in (
                ("import-errors", BAD_TABULATION),
                ("import-preview", GOOD_TABULATION),
            ):
                path = Path(folder) / f"{name}.csv"
                path.write_text(text.format(**days), encoding="utf-8")
                page.goto(f"{server.url}/staf/impor/{slug}")
                page.set_input_files("input[type=file]", str(path))
                page.click("text=Periksa berkas")
                page.wait_for_load_state()
                _shoot(page, args.out, name)
            page.click("button:has-text('Simpan 3 respons')")
            page.wait_for_load_state()
            _shoot(page, args.out, "history")

            # IKU: the table (this year, then triwulan III), and the entry of a realisation.
            page.goto(f"{server.url}/staf/iku/{slug}")
            _shoot(page, args.out, "iku-table")
            page.goto(f"{server.url}/staf/iku/{slug}?tahun={today.year - 1}")
            _shoot(page, args.out, "iku-table-last-year")
            page.goto(f"{server.url}/staf/iku/{slug}")
            page.click("text=Isi realisasi >> nth=1")
            page.wait_for_load_state()
            _shoot(page, args.out, "iku-realisasi")
            page.goto(f"{server.url}/staf/iku/{slug}/indikator/baru")
            _shoot(page, args.out, "iku-indicator")
            context.close()


if __name__ == "__main__":
    main()
