#!/usr/bin/env python3
"""The staff dashboard for one quarter with a million responses, against the bare score.

Loads N responses of one triwulan (50 kecamatan of one kabupaten, 10 layanan
each) with ``benchmarks/scoring.py``'s ``build``, gives them respondent
profiles and some saran, then times the dashboard of the whole kabupaten
for that quarter through the Flask app, as a signed-in pimpinan's browser
would fetch it (the page, then its eight chart images):

* baseline: ``skm.ikm.score`` of the quarter for the kabupaten (one SQL
  aggregate pass; the least any dashboard must do);
* cold: first visit: every number computed, every chart drawn;
* warm: the same visit again, numbers and charts cached (the cache key is one
  count over the quarter's responses, so this is what staff see all day
  between new responses);
* after a new response: numbers computed again, charts redrawn.

Each warm or baseline timing is the best of ``--repeat`` runs after one
warm-up. Target: warm under one second on each database.

    python benchmarks/dashboard.py                     # 1,000,000 responses, SQLite
    python benchmarks/dashboard.py --database postgresql
    python benchmarks/dashboard.py --responses 50000 --database both
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument  # noqa: E402
from skm import create_app, database  # noqa: E402
from skm.ikm import Scope, score  # noqa: E402
from skm.models import Unit  # noqa: E402
from skm.responses import bulk_insert  # noqa: E402
from skm.sessions import mark_signed_in  # noqa: E402
from skm.units import create_user  # noqa: E402

_spec = importlib.util.spec_from_file_location("scoring_benchmark", ROOT / "benchmarks/scoring.py")
assert _spec and _spec.loader
scoring_benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scoring_benchmark)
PERIODE = scoring_benchmark.PERIODE
TZ = scoring_benchmark.TZ

# Deterministic pseudo-random profiles from the id, in SQL both databases run.
PROFILES_SQL = """
UPDATE response SET
  jenis_kelamin = CASE WHEN id % 2 = 0 THEN 'L' ELSE 'P' END,
  usia = CASE WHEN id % 17 = 0 THEN NULL ELSE 17 + (id * 7919) % 60 END,
  pendidikan = CASE (id * 31) % 7 WHEN 0 THEN 'sd' WHEN 1 THEN 'smp' WHEN 2 THEN 'sma'
    WHEN 3 THEN 'sma' WHEN 4 THEN 'd1_d3' WHEN 5 THEN 'd4_s1' ELSE NULL END,
  pekerjaan = CASE (id * 13) % 6 WHEN 0 THEN 'pns' WHEN 1 THEN 'swasta'
    WHEN 2 THEN 'wirausaha' WHEN 3 THEN 'swasta' WHEN 4 THEN 'lainnya' ELSE NULL END,
  saran = CASE WHEN id % 10 = 0 THEN 'Antrean pagi terlalu panjang.' ELSE NULL END
"""


def best_of(repeat: int, run: Callable[[], object]) -> float:
    run()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def prepare(engine: sa.Engine, n: int, seed: int) -> float:
    load = scoring_benchmark.build(engine, n, seed)
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(sa.text(PROFILES_SQL))
    command = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(command))
    return load + time.perf_counter() - started


def measure(name: str, url: str, repeat: int, instance: Path) -> dict[str, float]:
    app = create_app({"SKM_DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench"})
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    with app.app_context():
        session = database.session()
        root = session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)))
        user = create_user(
            session, f"bench{uuid.uuid4().hex[:6]}", "benchmark-sandi-1", "pimpinan", root
        )
        session.commit()
        slug, user_id, root_id = root.slug, user.id, root.id
        baseline = best_of(
            repeat,
            lambda: score(session, instrument, PERIODE, TZ, Scope(session.get(Unit, root_id))),
        )
        result = score(session, instrument, PERIODE, TZ, Scope(session.get(Unit, root_id)))
    client = app.test_client()
    with client.session_transaction() as flask_session:
        mark_signed_in(flask_session, user_id, version=0)
    page_url = f"/staf/unit/{slug}/?periode={PERIODE.code}"

    def visit() -> int:
        """The page and every chart on it, as a browser fetches them."""
        page = client.get(page_url)
        assert page.status_code == 200, page.status_code
        charts = re.findall(r'<img class="chart" src="([^"]+)"', page.get_data(as_text=True))
        for chart in charts:
            assert client.get(chart.replace("&amp;", "&")).status_code == 200
        return len(charts)

    charts: list[int] = []
    cold = timed(lambda: charts.append(visit()))
    cold_page = timed(lambda: client.get(page_url))  # numbers cached; page only
    warm = best_of(repeat, visit)
    with app.app_context():
        session = database.session()
        row = {
            "uuid": uuid.uuid4(),
            "unit_id": session.scalar(sa.select(Unit.id).where(Unit.parent_id == root_id)),
            "layanan_id": None,
            "instrument_key": instrument.key,
            "instrument_version": instrument.version,
            "submitted_at": PERIODE.utc_bounds(TZ)[0],
            "received_at": datetime.now(UTC),
            "channel": "kiosk",
            "excluded": False,
            **{f"u{j:02d}": 4 for j in range(1, 10)},
        }
        bulk_insert(session, [row])
        session.commit()
    after_new = timed(visit)
    warm_again = best_of(repeat, visit)

    print(
        f"\n{name}: IKM {result.konversi:.2f} ({result.mutu}) from {result.respondents:,} responses"
    )
    print(f"  {'':<58} {'seconds':>8} {'x base':>7}")
    rows = [
        ("baseline: skm.ikm.score, kabupaten, whole quarter", baseline),
        (f"dashboard cold: page + {charts[0]} charts, nothing cached", cold),
        ("dashboard page alone, numbers cached", cold_page),
        (f"dashboard warm: page + {charts[0]} charts, cached", warm),
        ("dashboard after one new response: recomputed, redrawn", after_new),
        ("dashboard warm again", warm_again),
    ]
    for label, seconds in rows:
        print(f"  {label:<58} {seconds:>8.3f} {seconds / baseline:>7.2f}")
    app.extensions["skm.engine"].dispose()
    return {"baseline": baseline, "cold": cold, "warm": warm, "after_new": after_new}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "SKM_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test"
        ),
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        if args.database in ("sqlite", "both"):
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            engine = database.make_engine(url)
            load = prepare(engine, args.responses, args.seed)
            engine.dispose()
            print(f"SQLite: loaded {args.responses:,} responses in {load:.1f} s")
            results["SQLite"] = measure("SQLite", url, args.repeat, Path(folder) / "i1")
        if args.database in ("postgresql", "both"):
            schema = f"skm_bench_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(args.postgres_url)
            with admin.begin() as connection:
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            url = (
                sa.engine.make_url(args.postgres_url)
                .update_query_dict({"options": f"-csearch_path={schema}"})
                .render_as_string(hide_password=False)
            )
            try:
                engine = database.make_engine(url)
                load = prepare(engine, args.responses, args.seed)
                engine.dispose()
                print(f"PostgreSQL: loaded {args.responses:,} responses in {load:.1f} s")
                results["PostgreSQL"] = measure("PostgreSQL", url, args.repeat, Path(folder) / "i2")
            finally:
                with admin.begin() as connection:
                    connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()

    print("\nTarget: the dashboard of one quarter under 1 s once its charts are cached.")
    for name, figures in results.items():
        verdict = "met" if figures["warm"] < 1 else "MISSED"
        print(
            f"  {name}: warm {figures['warm']:.3f} s ({verdict}); "
            f"{figures['warm'] / figures['baseline']:.2f} x the bare score"
        )


if __name__ == "__main__":
    main()
