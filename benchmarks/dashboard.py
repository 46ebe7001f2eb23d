#!/usr/bin/env python3
"""The kabupaten dashboard over eight triwulan of responses: summaries against raw rows.

Loads N responses spread evenly over the eight triwulan up to 2026-T3 (50
kecamatan of one kabupaten, 10 layanan each, with respondent profiles)
through a bulk path (``executemany`` in large transactions on SQLite,
``COPY`` on PostgreSQL), builds the summary tables from them with
``skm.summaries.maintenance.rebuild`` (what ``skm db rebuild-summaries``
runs), and times the dashboard of the whole kabupaten for 2026-T3 through
the Flask app as a signed-in pimpinan's browser fetches it: the page (its
numbers include the trend over the eight periodes) and its chart images.

Both ways are timed in the same run, each in a fresh application (empty
caches, warmed up by one page of another periode so that compiling the
templates is not counted):

* raw rows: every number read from the responses (``skm.ikm.reading_raw_rows``),
  as SKM did before the summaries: cold, and right after one new response;
* summaries: cold, right after one new response (only the charts whose
  numbers changed are drawn again), and warm.

The bare score of the quarter (``skm.ikm.score``) is printed for both too.
Target: the summary dashboard under 1 s cold and under 1 s after a new
response, on each database.

    python benchmarks/dashboard.py                         # 1,000,000 responses, SQLite
    python benchmarks/dashboard.py --database both
    python benchmarks/dashboard.py --responses 10000000 --database postgresql
    python benchmarks/dashboard.py --keep /tmp/bench   # load once, time again later

With ``--keep DIR`` the SQLite file stays in DIR and the PostgreSQL schema is
named for the response count and seed and kept; a later run with the same
``--keep`` and ``--responses`` measures again without loading (drop the schema
``skm_bench_<responses>_<seed>`` and remove DIR when done).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument  # noqa: E402
from skm import create_app, database, migrations  # noqa: E402
from skm.ikm import Scope, reading_raw_rows, score  # noqa: E402
from skm.models import Layanan, Unit  # noqa: E402
from skm.periode import Periode  # noqa: E402
from skm.responses import bulk_insert  # noqa: E402
from skm.sessions import mark_signed_in  # noqa: E402
from skm.summaries import maintenance  # noqa: E402
from skm.units import create_user  # noqa: E402

TZ = ZoneInfo("Asia/Jakarta")
PERIODE = Periode.triwulan(2026, 3)
PERIODES = PERIODE.history(8)
UNITS = 50
LAYANAN_PER_UNIT = 10
CHUNK = 250_000

COLUMNS = ("uuid", "unit_id", "layanan_id", "instrument_key", "instrument_version",
           "submitted_at", "received_at", "channel", "excluded", "jenis_kelamin", "usia",
           "pendidikan", "pekerjaan", *(f"u{j:02d}" for j in range(1, 10)))  # fmt: skip
PENDIDIKAN = np.array(["sd", "smp", "sma", "sma", "d1_d3", "d4_s1", "s2"], dtype=object)
PEKERJAAN = np.array(["pns", "swasta", "wirausaha", "swasta", "lainnya", "pelajar_mahasiswa"],
                     dtype=object)  # fmt: skip


def units_and_layanan(engine: sa.Engine) -> tuple[list[int], list[list[int]]]:
    with database.make_sessionmaker(engine)() as session:
        root = Unit(name="Kabupaten Benchmark", kind="kabupaten", slug="kabupaten-benchmark")
        session.add(root)
        session.flush()
        root.path = f"/{root.id}/"
        units = [Unit(name=f"Kecamatan {i + 1}", kind="kecamatan", slug=f"kec-{i + 1}",
                      parent=root) for i in range(UNITS)]  # fmt: skip
        session.add_all(units)
        session.flush()
        layanan = []
        for unit in units:
            unit.path = f"{root.path}{unit.id}/"
            rows = [Layanan(unit=unit, name=f"Layanan {j + 1}") for j in range(LAYANAN_PER_UNIT)]
            session.add_all(rows)
            session.flush()
            layanan.append([r.id for r in rows])
        session.commit()
        return [u.id for u in units], layanan


def chunks(n: int, seed: int, unit_ids: list[int], layanan_ids: list[list[int]]):  # type: ignore[no-untyped-def]
    """Rows in time order, ``CHUNK`` at a time, as tuples in COLUMNS order (datetimes naive UTC)."""
    rng = np.random.default_rng(seed)
    start = PERIODES[0].utc_bounds(TZ)[0].replace(tzinfo=None)
    end = PERIODE.utc_bounds(TZ)[1].replace(tzinfo=None)
    first = np.datetime64(start, "us")
    span = (np.datetime64(end, "us") - first).astype(np.int64)
    pieces = max(1, -(-n // CHUNK))
    layanan = np.array(layanan_ids)
    for piece in range(pieces):
        size = min(CHUNK, n - piece * CHUNK)
        low, high = span * piece // pieces, span * (piece + 1) // pieces
        moments = first + np.sort(rng.integers(low, high, size=size)).astype("timedelta64[us]")
        answers = np.clip(np.rint(rng.normal(3.2, 0.7, size=(size, 9))), 1, 4).astype(int)
        blank = rng.random((size, 9)) < 0.01
        unit_index = rng.integers(0, UNITS, size=size)
        layanan_index = rng.integers(0, LAYANAN_PER_UNIT, size=size)
        no_profile = rng.random(size) < 0.06
        gender = np.where(rng.random(size) < 0.5, "L", "P").astype(object)
        age = rng.integers(17, 77, size=size)
        education = PENDIDIKAN[rng.integers(0, len(PENDIDIKAN), size=size)]
        work = PEKERJAAN[rng.integers(0, len(PEKERJAAN), size=size)]
        values = np.where(blank, None, answers.astype(object))
        times = moments.astype(datetime)
        base = piece * CHUNK
        yield [
            (
                uuid.UUID(int=(base + r) << 64 | 0x4000_0000_0000_0000),
                unit_ids[unit_index[r]],
                int(layanan[unit_index[r], layanan_index[r]]),
                "permenpan-14-2017", 1, times[r], times[r], "kiosk", False,
                None if no_profile[r] else gender[r],
                None if no_profile[r] else int(age[r]),
                None if no_profile[r] else education[r],
                None if no_profile[r] else work[r],
                *values[r].tolist(),
            )
            for r in range(size)
        ]  # fmt: skip


def bulk_load(engine: sa.Engine, n: int, seed: int) -> tuple[float, float]:
    """Schema, units and responses; (seconds to load the responses, seconds to build summaries)."""
    migrations.create_schema(engine)
    unit_ids, layanan_ids = units_and_layanan(engine)
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            insert = (f"INSERT INTO response ({', '.join(COLUMNS)}) VALUES "
                      f"({', '.join('?' for _ in COLUMNS)})")  # fmt: skip
            for rows in chunks(n, seed, unit_ids, layanan_ids):
                cursor.executemany(insert, [(r[0].hex, *r[1:5],
                                             r[5].isoformat(" ", "microseconds"),
                                             r[6].isoformat(" ", "microseconds"), *r[7:])
                                            for r in rows])  # fmt: skip
                raw.commit()
        else:
            for rows in chunks(n, seed, unit_ids, layanan_ids):
                with cursor.copy(f"COPY response ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                raw.commit()
    finally:
        raw.close()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as connection:
        maintenance.rebuild(connection, TZ)
    summarised = time.perf_counter() - started
    command = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(command))
    return loaded, summarised


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


def dashboard_run(url: str, instance: Path, repeat: int, raw_rows: bool) -> dict[str, float]:
    """Cold, after one new response and (summaries) warm, in a fresh application."""
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
    client = app.test_client()
    with client.session_transaction() as flask_session:
        mark_signed_in(flask_session, user_id, version=0)
    page_url = f"/staf/unit/{slug}/?periode={PERIODE.code}"

    def page() -> list[str]:
        """The page alone: every number on it, the trend over eight periodes included."""
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code
        return re.findall(r'<img class="chart" src="([^"]+)"', response.get_data(as_text=True))

    def charts(urls: list[str]) -> None:
        for chart in urls:
            assert client.get(chart.replace("&amp;", "&")).status_code == 200

    def visit() -> int:
        """The page and every chart on it, as a browser fetches them."""
        urls = page()
        charts(urls)
        return len(urls)

    def drawn() -> int:
        return app.extensions.get("skm.results.cache.charts", _NO_CACHE).misses

    def split_visit(prefix: str) -> None:
        """Page, then charts, timed apart; how many charts had to be drawn."""
        before = drawn()
        started = time.perf_counter()
        urls = page()
        middle, middle_cpu = time.perf_counter(), time.process_time()
        charts(urls)
        ended = time.perf_counter()
        # CPU seconds of this process: on a shared machine less disturbed by the others.
        figures[f"{prefix}_charts_cpu"] = time.process_time() - middle_cpu
        figures[f"{prefix}_page"] = middle - started
        figures[f"{prefix}_charts"] = ended - middle
        figures[prefix] = ended - started
        figures[f"{prefix}_drawn"] = drawn() - before
        figures["charts"] = len(urls)

    def new_response() -> None:
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
                "jenis_kelamin": "P",
                **{f"u{j:02d}": 4 for j in range(1, 10)},
            }
            bulk_insert(session, [row])
            session.commit()

    figures: dict[str, float] = {}
    with reading_raw_rows() if raw_rows else _nothing():
        # Warm-up on another periode: templates and SQL statements compiled once per
        # process, as on a server up since the morning; nothing of 2026-T3 cached.
        assert client.get(f"/staf/unit/{slug}/?periode={PERIODES[0].code}").status_code == 200
        split_visit("cold")
        new_response()
        split_visit("after_new")
        if not raw_rows:
            figures["warm"] = best_of(repeat, visit)
    app.extensions["skm.engine"].dispose()
    return figures


class _NoCache:
    misses = 0


_NO_CACHE = _NoCache()


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def measure(name: str, url: str, repeat: int, folder: Path) -> dict[str, float]:
    engine = database.make_engine(url)
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    with database.make_sessionmaker(engine)() as session:
        root = session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)))
        scope = Scope(root)
        with reading_raw_rows():
            raw_score = best_of(repeat, lambda: score(session, instrument, PERIODE, TZ, scope))
            raw_result = score(session, instrument, PERIODE, TZ, scope)
        summary_score = best_of(repeat, lambda: score(session, instrument, PERIODE, TZ, scope))
        result = score(session, instrument, PERIODE, TZ, scope)
        assert result == raw_result, "summaries and raw rows disagree"
        total = session.scalar(sa.select(sa.func.count()).select_from(sa.table("response")))
    engine.dispose()
    raw = dashboard_run(url, folder / f"{name}-raw", repeat, raw_rows=True)
    summaries = dashboard_run(url, folder / f"{name}-summaries", repeat, raw_rows=False)
    assert result is not None
    print(f"\n{name}: IKM {result.konversi:.2f} ({result.mutu}) of {PERIODE.label} from "
          f"{result.respondents:,} responses ({total:,} in {len(PERIODES)} triwulan)")  # fmt: skip
    print(f"  {'':<56} {'raw rows':>9} {'summaries':>10}")
    n = int(raw["charts"])
    rows = [
        ("skm.ikm.score, kabupaten, whole quarter", raw_score, summary_score),
        ("dashboard cold: page (every number, trend of 8)", raw["cold_page"],
         summaries["cold_page"]),
        (f"  + its {n} charts ({int(summaries['cold_drawn'])} drawn)", raw["cold_charts"],
         summaries["cold_charts"]),
        ("    (CPU time of the chart requests)", raw["cold_charts_cpu"],
         summaries["cold_charts_cpu"]),
        ("  = page + charts", raw["cold"], summaries["cold"]),
        ("after one new response: page", raw["after_new_page"], summaries["after_new_page"]),
        (f"  + charts ({int(summaries['after_new_drawn'])} of {n} drawn again)",
         raw["after_new_charts"], summaries["after_new_charts"]),
        ("    (CPU time of the chart requests)", raw["after_new_charts_cpu"],
         summaries["after_new_charts_cpu"]),
        ("  = page + charts", raw["after_new"], summaries["after_new"]),
        ("dashboard warm (charts cached)", None, summaries["warm"]),
    ]  # fmt: skip
    for label, before, after in rows:
        shown = "" if before is None else f"{before:.3f}"
        print(f"  {label:<56} {shown:>9} {after:>10.3f}")
    return summaries


def postgresql_run(args: argparse.Namespace, folder: Path) -> dict[str, float]:
    """Load into a schema of its own (or reuse the kept one), measure, drop unless kept."""
    admin = sa.create_engine(args.postgres_url)
    if args.keep:
        schema = f"skm_bench_{args.responses}_{args.seed}"
        with admin.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT count(*) FROM pg_namespace WHERE nspname = :name"),
                {"name": schema},
            )
    else:
        schema, exists = f"skm_bench_{uuid.uuid4().hex[:8]}", 0
    url = (
        sa.engine.make_url(args.postgres_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        if not exists:
            with admin.begin() as connection:
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            engine = database.make_engine(url)
            loaded, summarised = bulk_load(engine, args.responses, args.seed)
            engine.dispose()
            print(f"PostgreSQL: loaded {args.responses:,} responses in {loaded:.1f} s, "
                  f"summaries built in {summarised:.1f} s")  # fmt: skip
        return measure("PostgreSQL", url, args.repeat, folder)
    finally:
        if not args.keep:
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", metavar="DIR", help="keep the loaded data to measure again")
    args = parser.parse_args()

    results = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(args.keep or name)
        folder.mkdir(parents=True, exist_ok=True)
        if args.database in ("sqlite", "both"):
            path = folder / f"bench-{args.responses}-{args.seed}.sqlite3"
            url = f"sqlite:///{path}"
            if not (args.keep and path.exists()):
                path.unlink(missing_ok=True)
                engine = database.make_engine(url)
                loaded, summarised = bulk_load(engine, args.responses, args.seed)
                engine.dispose()
                print(f"SQLite: loaded {args.responses:,} responses in {loaded:.1f} s, "
                      f"summaries built in {summarised:.1f} s")  # fmt: skip
            results["SQLite"] = measure("SQLite", url, args.repeat, folder)
            if not args.keep:
                path.unlink()
        if args.database in ("postgresql", "both"):
            results["PostgreSQL"] = postgresql_run(args, folder)
    print("\nTarget: the dashboard from summaries under 1 s cold and after a new response.")
    for name, figures in results.items():
        for part, label in (("_page", "page"), ("", "page + charts")):
            cold, after = figures[f"cold{part}"], figures[f"after_new{part}"]
            verdict = "met" if max(cold, after) < 1 else "MISSED"
            print(f"  {name}, {label}: cold {cold:.3f} s, after a new response "
                  f"{after:.3f} s ({verdict})")  # fmt: skip


if __name__ == "__main__":
    main()
