#!/usr/bin/env python3
"""Producing the quarterly report of a busy kecamatan: 10,000 responses in one triwulan.

Loads a kecamatan with five kelurahan, their layanan and N responses in
Triwulan III 2026 (plus a smaller Triwulan II, so the report has a trend),
the population, three RTL rows and the signing official; then times, each
on a freshly created application (empty caches, as after a restart):

* baseline: ``skm.ikm.score`` of the quarter (the bare IKM: SQL Σ and counts);
* ``collect_report``: every number and list the report prints;
* each file as the download buttons produce it (``skm.reports.service.produce``):
  the full PDF, the DOCX, the one-page summary, the XLSX tabulation and the CSV.

Each figure is the best of ``--repeat`` runs. The PDF figure is the one to
watch (target: under 5 seconds for 10,000 responses).

    python benchmarks/report.py                          # 10,000 responses, SQLite
    python benchmarks/report.py --responses 2000 --repeat 1
    python benchmarks/report.py --database postgresql --postgres-url postgresql+psycopg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument  # noqa: E402
from skm import create_app, database, migrations  # noqa: E402
from skm.config import office_timezone  # noqa: E402
from skm.ikm import Scope, score  # noqa: E402
from skm.models import Unit, answer_column_name  # noqa: E402
from skm.periode import Periode  # noqa: E402
from skm.reports.data import collect_report  # noqa: E402
from skm.reports.narrative import Signatory, save_signatory  # noqa: E402
from skm.reports.service import produce  # noqa: E402
from skm.responses import bulk_insert  # noqa: E402
from skm.results.population import set_population  # noqa: E402
from skm.results.rencana import RencanaInput, create_rencana  # noqa: E402
from skm.units import add_layanan, create_unit, create_user  # noqa: E402

PERIODE = Periode.triwulan(2026, 3)
SARAN = (
    "Ruang tunggu panas, mohon ditambah kipas angin.",
    "Pelayanan sudah cepat, terima kasih.",
    "Antrean pagi terlalu panjang.",
    "Informasi persyaratan sebaiknya ditempel di depan kantor.",
    "Parkir motor sempit.",
)


def load(app, n: int, seed: int) -> int:
    """The kecamatan and its responses; returns the kecamatan id."""
    rng = np.random.default_rng(seed)
    with app.app_context():
        migrations.create_schema(database.engine())
        session = database.session()
        instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
        tz = office_timezone()
        kecamatan = create_unit(session, "Kecamatan Benchmark", "kecamatan")
        units = [kecamatan] + [
            create_unit(session, f"Kelurahan {i}", "kelurahan", kecamatan) for i in range(1, 6)
        ]
        layanan = [
            [lay.id for lay in add_layanan(session, unit, [f"Layanan {j}" for j in range(1, 7)])]
            for unit in units
        ]
        session.flush()
        for periode, count in ((PERIODE, n), (PERIODE.previous(), max(1, n // 5))):
            start, end = periode.utc_bounds(tz)
            seconds = rng.integers(0, int((end - start).total_seconds()), size=count)
            answers = np.clip(np.rint(rng.normal(3.1, 0.7, size=(count, 9))), 1, 4).astype(int)
            blank = rng.random((count, 9)) < 0.01
            unit_index = rng.integers(0, len(units), size=count)
            rows = []
            for i in range(count):
                row = {
                    "uuid": uuid.UUID(int=int(rng.integers(0, 2**62)) << 64 | i, version=4),
                    "unit_id": units[unit_index[i]].id,
                    "layanan_id": layanan[unit_index[i]][int(rng.integers(0, 6))],
                    "instrument_key": instrument.key,
                    "instrument_version": instrument.version,
                    "submitted_at": start + timedelta(seconds=int(seconds[i])),
                    "received_at": datetime.now(UTC),
                    "channel": ("kiosk", "web", "paper")[i % 3],
                    "excluded": False,
                    "jenis_kelamin": "LP"[i % 2],
                    "usia": int(rng.integers(17, 80)),
                    "pendidikan": ("sd", "smp", "sma", "d4_s1")[i % 4],
                    "pekerjaan": ("swasta", "wirausaha", "pns", "lainnya")[i % 4],
                    "saran": SARAN[i % len(SARAN)] + f" ({i % 97})" if i % 6 == 0 else None,
                }
                for unsur in instrument.unsur:
                    value = None if blank[i, unsur.position] else int(answers[i, unsur.position])
                    row[answer_column_name(unsur.position)] = value
                rows.append(row)
            for first in range(0, count, 5000):
                bulk_insert(session, rows[first : first + 5000])
        operator = create_user(session, "operator", "kata-sandi-uji", "operator", kecamatan, "Op")
        set_population(session, operator, kecamatan, PERIODE, n * 4)
        for key in ("waktu", "pengaduan", "sarana"):
            create_rencana(session, operator, instrument, kecamatan, PERIODE,
                           RencanaInput(key, "Perbaikan " + key, (4,), "Sekretaris"))  # fmt: skip
        signatory = Signatory("Camat", "Nama Camat", "Pembina (IV/a)", "", "Benchmark")
        save_signatory(session, operator, kecamatan, signatory)
        session.commit()
        return kecamatan.id


def timed(make_app: Callable, work: Callable, repeat: int) -> tuple[float, object]:
    """Best time of ``work(session, unit)`` over ``repeat`` fresh applications."""
    best, value = float("inf"), None
    for _ in range(repeat):
        app = make_app()
        with app.app_context():
            session = database.session()
            unit = session.get(Unit, app.config["BENCH_UNIT"])
            started = time.perf_counter()
            value = work(session, unit)
            best = min(best, time.perf_counter() - started)
        app.extensions["skm.engine"].dispose()
    return best, value


def run(url: str, label: str, n: int, repeat: int, seed: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="skm-bench-report-"))
    settings = {"SKM_DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench"}
    started = time.perf_counter()
    unit_id = load(create_app(settings), n, seed)
    print(f"[{label}] loaded {n:,} responses in {time.perf_counter() - started:.1f} s")

    def make_app():
        return create_app({**settings, "BENCH_UNIT": unit_id})

    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)

    def bare(session, unit):
        return score(session, instrument, PERIODE, office_timezone(), Scope(unit))

    base, result = timed(make_app, bare, repeat)
    assert result is not None and result.respondents == n, "the quarter must hold every response"
    print(f"[{label}] baseline skm.ikm.score of the quarter: {base:.3f} s "
          f"(IKM {result.konversi:.2f} from {result.respondents:,} responses)")  # fmt: skip
    collected, data = timed(
        make_app,
        lambda s, u: collect_report(s, instrument, office_timezone(), u, PERIODE),
        repeat,
    )
    assert data.answers.shape[0] == n  # type: ignore[attr-defined]
    print(f"[{label}] collect_report: {collected:.3f} s ({collected / base:.1f} x baseline)")
    for kind in ("pdf", "docx", "ringkasan", "xlsx", "csv"):
        seconds, content = timed(
            make_app,
            lambda s, u, kind=kind: produce(s, instrument, office_timezone(), u, PERIODE, kind),
            repeat,
        )
        size = len(content)  # type: ignore[arg-type]
        extra = ""
        if kind == "pdf":
            pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", content))  # type: ignore[arg-type]
            extra = f", {pages} pages"
            verdict = "OK" if seconds < 5 else "TOO SLOW (target < 5 s)"
            extra += f", {verdict}"
        print(f"[{label}] {kind:9s}: {seconds:.3f} s ({seconds / base:.0f} x baseline; "
              f"{size / 1024:,.0f} KiB{extra})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1/test")
    args = parser.parse_args()
    if args.database in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="skm-bench-report-db-"))
        run(f"sqlite:///{folder / 'bench.sqlite3'}", "sqlite", args.responses, args.repeat,
            args.seed)  # fmt: skip
    if args.database in ("postgresql", "both"):
        schema = f"bench_report_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.postgres_url)
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = sa.engine.make_url(args.postgres_url).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        try:
            run(url.render_as_string(hide_password=False), "postgresql", args.responses,
                args.repeat, args.seed)  # fmt: skip
        finally:
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
