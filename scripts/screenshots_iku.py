#!/usr/bin/env python3
"""Screenshots of the IKU page of each of the four seed documents, after importing its
data file and entering some realisation, to look at them as an operator would.

    .venv/bin/python scripts/screenshots_iku.py [--out screenshots/iku]

Builds a temporary SQLite database with a kabupaten and the four kecamatan, imports
data/iku/{bantargebah-2024,bathin-solapan-2024,kecamatan-umum,benjeng-2017}.toml,
adds a small survey per kecamatan, and enters 2025 targets where the documents
set none and realisation of every kind (the figures are illustrative, not the
offices'). Serves SKM on loopback, signs an operator of the kabupaten in, and
writes the IKU table of each kecamatan and the realisation forms of a predikat,
a composite and a count indicator as PNG files.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaires import get_instrument  # noqa: E402
from skm import create_app, database, migrations  # noqa: E402
from skm.iku.datafile import import_document, read_document  # noqa: E402
from skm.models import answer_column_name  # noqa: E402
from skm.responses import bulk_insert  # noqa: E402
from skm.results.indicators import indicators_of, set_targets  # noqa: E402
from skm.results.realisasi import TAHUNAN, RealisasiInput, save_realisasi  # noqa: E402
from skm.units import create_unit, create_user  # noqa: E402
from tests.support.browser import chromium, live_server, signed_in_cookie  # noqa: E402

YEAR = 2025
D = Decimal

#: (file, unit name, targets for YEAR where the document has none, realisation of YEAR).
SEEDS = (
    ("bantargebah-2024.toml", "Kecamatan Bantargebah", {}, {
        "nilai-akip": RealisasiInput(value=D("73.96"), note="Hasil evaluasi Inspektorat"),
        "wilayah-tertib": RealisasiInput(numerator=D(22), denominator=D(42)),
    }),
    ("bathin-solapan-2024.toml", "Kecamatan Bathin Solapan", {
        "ikm": D(82), "predikat-akip": "BB", "nilai-perencanaan": D(24),
        "nilai-pengukuran": D(24), "nilai-pelaporan": D(12), "nilai-evaluasi-internal": D(18),
        "pelayanan-sesuai-sop": D(95), "kamtibmas-tuntas": D(90), "sarpras-baik": D(85),
        "desa-mandiri": D(20), "pendukung-pelayanan-tepat-waktu": D(95),
        "pendukung-pengaduan-tepat-waktu": D(100),
    }, {
        "predikat-akip": RealisasiInput(grade="B", note="LHE Inspektorat Daerah"),
        "nilai-perencanaan": RealisasiInput(value=D("22.5")),
        "nilai-pengukuran": RealisasiInput(value=D("20.1")),
        "nilai-pelaporan": RealisasiInput(value=D("11.25")),
        "nilai-evaluasi-internal": RealisasiInput(value=D("15.4")),
        "pelayanan-sesuai-sop": RealisasiInput(components=(D(100), D("87.5"), D(75), D(90))),
        "kamtibmas-tuntas": RealisasiInput(numerator=D(17), denominator=D(19)),
        "sarpras-baik": RealisasiInput(numerator=D(41), denominator=D(48)),
        "desa-mandiri": RealisasiInput(numerator=D(3), denominator=D(14)),
        "pendukung-pelayanan-tepat-waktu": RealisasiInput(numerator=D(2312), denominator=D(2390)),
        "pendukung-pengaduan-tepat-waktu": RealisasiInput(numerator=D(23), denominator=D(25)),
    }),
    ("kecamatan-umum.toml", "Kecamatan Sukamaju", {
        "kk-ktp-sesuai-standar": D(95), "luas-rth": D(1250), "jumat-bersih": D(48),
        "penurunan-tindak-kriminal": D(-10), "penyuluhan-hukum": D(12),
        "partisipasi-musrenbang": D(80), "kegiatan-pkk": D(24),
    }, {
        "kk-ktp-sesuai-standar": RealisasiInput(numerator=D(1804), denominator=D(1862)),
        "luas-rth": RealisasiInput(value=D("1100.5")),
        "jumat-bersih": RealisasiInput(value=D(52)),
        "penurunan-tindak-kriminal": RealisasiInput(current_count=D(40), previous_count=D(48)),
        "penyuluhan-hukum": RealisasiInput(value=D(9)),
        "partisipasi-musrenbang": RealisasiInput(numerator=D(118), denominator=D(150)),
        "kegiatan-pkk": RealisasiInput(value=D(26)),
    }),
    ("benjeng-2017.toml", "Kecamatan Benjeng", {
        "ikm": D(80), "penurunan-pelanggaran-perda": D(-10), "konflik-ditindaklanjuti": D(90),
        "partisipasi-musrenbang": D(75), "ormas-dibina": D(60),
    }, {
        "penurunan-pelanggaran-perda": RealisasiInput(current_count=D(36), previous_count=D(45)),
        "konflik-ditindaklanjuti": RealisasiInput(numerator=D(11), denominator=D(12)),
        "partisipasi-musrenbang": RealisasiInput(numerator=D(96), denominator=D(140)),
        "ormas-dibina": RealisasiInput(numerator=D(14), denominator=D(25)),
    }),
)  # fmt: skip

#: A small survey per kecamatan (answers U1..U9), so that the IKM row has a realisation.
ANSWERS = ([4, 4, 3, 4, 3, 3, 4, 3, 3], [3, 3, 3, 4, 3, 3, 3, 3, 2], [4, 4, 4, 4, 4, 4, 4, 4, 4])


def _survey(session, unit, instrument) -> None:
    rows = []
    for number in range(30):
        when = datetime(YEAR, 1 + number % 12, 10, 3, tzinfo=UTC)
        row = {"uuid": uuid.uuid4(), "unit_id": unit.id, "layanan_id": None,
               "instrument_key": instrument.key, "instrument_version": instrument.version,
               "submitted_at": when, "received_at": when, "channel": "kiosk",
               "excluded": False}  # fmt: skip
        for position, value in enumerate(ANSWERS[number % 3]):
            row[answer_column_name(position)] = value
        rows.append(row)
    bulk_insert(session, rows)


def _prepare(instance: Path):
    app = create_app(
        {"SKM_DATABASE_URL": f"sqlite:///{instance / 'skm.sqlite3'}", "INSTANCE_PATH": instance}
    )
    slugs = []
    with app.app_context():
        migrations.create_schema(database.engine())
        session = database.session()
        kabupaten = create_unit(session, "Kabupaten Contoh", "kabupaten")
        user = create_user(session, "sri", "rahasia-sekali", "operator", kabupaten, "Sri Wahyuni")
        instrument = get_instrument("permenpan-14-2017")
        for file, name, targets, inputs in SEEDS:
            unit = create_unit(session, name, "kecamatan", kabupaten)
            import_document(session, unit, read_document(ROOT / "data" / "iku" / file))
            by_code = {indicator.code: indicator for indicator in indicators_of(session, unit)}
            for code, target in targets.items():
                set_targets(by_code[code], {YEAR: target})
            for code, data in inputs.items():
                save_realisasi(session, by_code[code], YEAR, TAHUNAN, data, user)
            _survey(session, unit, instrument)
            slugs.append((unit.slug, {code: i.id for code, i in by_code.items()}))
        session.commit()
        return app, user.id, slugs


def _shoot(page, out: Path, name: str) -> None:
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    print(out / f"{name}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "iku")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, user_id, slugs = _prepare(Path(folder))
        with live_server(app) as server, chromium() as browser:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
            context.add_cookies([signed_in_cookie(app, user_id, server.url)])
            page = context.new_page()
            for (slug, _), (file, _, _, _) in zip(slugs, SEEDS, strict=True):
                page.goto(f"{server.url}/staf/iku/{slug}?tahun={YEAR}")
                _shoot(page, args.out, "table-" + file.removesuffix(".toml"))
            bathin, umum = dict(slugs[1:2]), dict(slugs[2:3])
            for slug, ids in bathin.items():
                for code in ("predikat-akip", "pelayanan-sesuai-sop"):
                    page.goto(f"{server.url}/staf/iku/{slug}/indikator/{ids[code]}/realisasi"
                              f"?tahun={YEAR}")  # fmt: skip
                    _shoot(page, args.out, f"realisasi-{code}")
                page.goto(f"{server.url}/staf/iku/{slug}/indikator/{ids['predikat-akip']}")
                _shoot(page, args.out, "indicator-predikat-akip")
            for slug, ids in umum.items():
                page.goto(f"{server.url}/staf/iku/{slug}/indikator/{ids['jumat-bersih']}"
                          f"/realisasi?tahun={YEAR}")  # fmt: skip
                page.fill("[name=value_1]", "12,5")
                page.click("text=Simpan realisasi")
                page.wait_for_load_state()
                _shoot(page, args.out, "realisasi-jumat-bersih-error")
            context.close()


if __name__ == "__main__":
    main()
