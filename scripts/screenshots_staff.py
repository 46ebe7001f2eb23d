#!/usr/bin/env python3
"""Screenshots of the staff pages with the demo data, to look at them as a camat would.

    .venv/bin/python scripts/screenshots_staff.py [--out screenshots/staff] [--responses 4000]

Builds the demo kecamatan (``skm.demo.build_demo``: five kelurahan, four
triwulan of responses) on a temporary SQLite database, adds what staff
would have entered (population, saran follow-up, a rencana tindak lanjut,
a few accounts and an API token), serves it with waitress on loopback and
drives Debian's Chromium (/usr/bin/chromium) through the dashboard, each
chart, the saran list, the RTL, the population page and every admin page.
PNG files go to the output folder (git-ignored): ``NN-name.png`` for pages
(1440 px wide unless ``--width`` says otherwise, full length) and
``chart-*.png`` for the charts as served.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument  # noqa: E402
from skm import create_app, database, migrations  # noqa: E402
from skm.admin.services import new_token  # noqa: E402
from skm.config import office_timezone  # noqa: E402
from skm.demo import build_demo  # noqa: E402
from skm.models import SurveyResponse, Unit  # noqa: E402
from skm.results.population import set_population  # noqa: E402
from skm.results.rencana import RencanaInput, create_rencana  # noqa: E402
from skm.staff.saran import set_saran_status  # noqa: E402
from skm.units import create_user  # noqa: E402
from tests.support.browser import chromium, live_server  # noqa: E402

PASSWORD = "rahasia-sekali"


def prepare(instance: Path, responses: int, today: date):
    """The app with demo data and staff entries; returns (app, kecamatan slug, kelurahan slug)."""
    app = create_app(
        {"SKM_DATABASE_URL": f"sqlite:///{instance / 'skm.sqlite3'}", "INSTANCE_PATH": instance}
    )
    with app.app_context():
        migrations.create_schema(database.engine())
        session = database.session()
        instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
        tz = office_timezone()
        summary = build_demo(session, instrument, tz, responses=responses, today=today)
        kecamatan = summary.kecamatan
        kelurahan = session.scalars(
            sa.select(Unit).where(Unit.parent_id == kecamatan.id).order_by(Unit.name)
        ).all()
        mekarsari = next(u for u in kelurahan if u.name == "Kelurahan Mekarsari")
        admin = create_user(session, "camat", PASSWORD, "admin", kecamatan, "Drs. H. Ahmad Sutisna")
        create_user(session, "operator.kec", PASSWORD, "operator", kecamatan, "Siti Rahmawati")
        create_user(session, "lurah.mekarsari", PASSWORD, "pimpinan", mekarsari, "Lurah Mekarsari")
        create_user(session, "operator.mekarsari", PASSWORD, "operator", mekarsari, "Budi Santoso")
        periodes = summary.periodes
        for periode, population in zip(periodes, (2600, 2750, 2900, 2400), strict=True):
            set_population(
                session, admin, kecamatan, periode, population, "buku register pelayanan"
            )
        start, end = periodes[-2].utc_bounds(tz)
        saran = session.scalars(
            sa.select(SurveyResponse)
            .where(
                SurveyResponse.saran.is_not(None),
                SurveyResponse.unit_id == kecamatan.id,
                SurveyResponse.submitted_at >= start,
                SurveyResponse.submitted_at < end,
            )
            .order_by(SurveyResponse.submitted_at.desc())
            .limit(6)
        ).all()
        for response, (status, note) in zip(
            saran[1:],
            [
                ("ditindaklanjuti", "Dibahas di rapat staf 12 November; kipas angin dipesan."),
                ("selesai", "Papan informasi persyaratan sudah dipasang di depan kantor."),
                ("ditindaklanjuti", ""),
            ],
            strict=False,
        ):
            set_saran_status(session, admin, response, status, note)
        create_rencana(
            session,
            admin,
            instrument,
            kecamatan,
            periodes[-2],
            RencanaInput(
                "pengaduan",
                "Memasang kotak pengaduan di ruang tunggu dan menunjuk "
                "petugas pengelola pengaduan.",
                [1, 2],
                "Sekretaris Kecamatan",
            ),
        )
        create_rencana(
            session,
            admin,
            instrument,
            kecamatan,
            periodes[-2],
            RencanaInput(
                "waktu",
                "Membuka loket pukul 07.30 dan menambah satu petugas pada hari Senin.",
                [1],
                "Kasi Pelayanan Umum",
            ),
        )
        new_token(session, admin, "Dasbor Kabupaten", kecamatan)
        session.commit()
        return app, kecamatan.slug, mekarsari.slug, periodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "staff")
    parser.add_argument("--responses", type=int, default=4000)
    parser.add_argument("--today", type=date.fromisoformat, default=datetime.now(UTC).date())
    parser.add_argument(
        "--width", type=int, default=1440, help="viewport width (390: a phone, as a camat reads it)"
    )
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, slug, kelurahan_slug, periodes = prepare(Path(folder), args.responses, args.today)
        previous = periodes[-2].code
        viewport = {"width": args.width, "height": 900 if args.width >= 800 else 844}
        with live_server(app) as server, chromium() as browser:
            base = server.url
            context = browser.new_context(viewport=viewport, locale="id-ID", device_scale_factor=1)
            page = context.new_page()

            def shoot(name: str, url: str | None = None, full: bool = True) -> None:
                if url:
                    page.goto(base + url)
                if full:  # charts load lazily: bring each into view once
                    for image in page.locator("img.chart").all():
                        image.scroll_into_view_if_needed()
                    page.evaluate("window.scrollTo(0, 0)")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / f"{name}.png"), full_page=full)
                print(f"{name}.png  {page.url}")

            shoot("01-masuk", "/masuk")
            page.fill("#username", "camat")
            page.fill("#password", "salah-sandi")
            page.click("button[type=submit]")
            shoot("02-masuk-gagal")
            page.fill("#username", "camat")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/staf/unit/**")
            dashboard = f"/staf/unit/{slug}/?periode={previous}"
            shoot("03-dasbor-atas", dashboard, full=False)
            shoot("04-dasbor-lengkap", dashboard)
            for image in page.locator("img.chart").all():
                src = image.get_attribute("src") or ""
                name = src.split("/grafik/")[1].split(".png")[0]
                response = page.request.get(base + src)
                (out / f"chart-{name}.png").write_bytes(response.body())
                print(f"chart-{name}.png")
            shoot("05-dasbor-kelurahan", f"/staf/unit/{kelurahan_slug}/?periode={previous}")
            shoot("06-dasbor-layanan", f"/staf/unit/{slug}/?periode={previous}&cakupan=unit")
            shoot("07-dasbor-tahun", f"/staf/unit/{slug}/?periode={periodes[-1].year}", full=False)
            shoot("08-saran", f"/staf/unit/{slug}/saran?periode={previous}")
            shoot("09-saran-cari", f"/staf/unit/{slug}/saran?periode={previous}&q=antrean")
            shoot("10-rencana", f"/staf/unit/{slug}/rencana?periode={previous}")
            shoot("11-rencana-baru", f"/staf/unit/{slug}/rencana/baru?periode={previous}")
            shoot("12-populasi", f"/staf/unit/{slug}/populasi?periode={previous}")
            shoot("13-admin-unit", "/admin/unit")
            page.click(f"text={'Kelurahan Mekarsari'}")
            shoot("14-admin-unit-ubah")
            shoot("15-admin-pengguna", "/admin/pengguna")
            shoot("16-admin-pengguna-baru", "/admin/pengguna/baru")
            page.goto(base + "/admin/token")
            page.fill("#name", "Aplikasi Pengaduan")
            page.click("form.form button[type=submit]")
            shoot("17-admin-token-dibuat")
            shoot("18-admin-log", "/admin/log")
            shoot("19-kata-sandi", "/akun/kata-sandi")
            if "kiosk_admin" in app.blueprints:  # the kiosk pages share the staff layout
                shoot("22-kios", "/staf/kiosk/")
                shoot("23-respons-ditandai", "/staf/kiosk/ditandai")
            context.close()

            # The read-only view of a pimpinan of one kelurahan.
            context = browser.new_context(viewport=viewport, locale="id-ID")
            page = context.new_page()
            page.goto(base + "/masuk")
            page.fill("#username", "lurah.mekarsari")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/staf/unit/**")
            shoot("20-pimpinan-dasbor", f"/staf/unit/{kelurahan_slug}/?periode={previous}", False)
            shoot("21-pimpinan-saran", f"/staf/unit/{kelurahan_slug}/saran?periode={previous}")
            context.close()
    print(f"Screenshots in {out}")


if __name__ == "__main__":
    main()
