#!/usr/bin/env python3
"""Scoring a quarter of a million responses: SKM's storage versus the floor.

Loads N responses of one triwulan (spread over 50 units and 10 layanan each)
through SKM's own storage (``skm.responses.bulk_insert``) and the same
answers into a bare table of nine integer columns, then times:

* floor: ``SELECT SUM(a1), COUNT(a1), ..., SUM(a9), COUNT(a9)`` over the bare table;
* SKM, whole quarter: ``skm.ikm.score`` (SQL aggregates + ``scoring``);
* SKM, per unit and per layanan: ``skm.ikm.score_by``.

Each SKM query is timed twice: from the raw responses
(``skm.ikm.reading_raw_rows``, as before the summary tables) and from the
summary tables that ``bulk_insert`` keeps up to date, which is what SKM
reads.

Each timing is the best of ``--repeat`` runs after one warm-up run. The
ratio of SKM's whole-quarter score to the floor is the figure to watch
(target: from the summaries at or below the floor).

    python benchmarks/scoring.py                       # 1,000,000 responses, SQLite
    python benchmarks/scoring.py --database postgresql --postgres-url postgresql+psycopg://postgres@127.0.0.1/test
    python benchmarks/scoring.py --responses 20000 --database both
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from questionnaires import get_instrument
from skm import database, migrations
from skm.ikm import Scope, reading_raw_rows, score, score_by
from skm.models import Layanan, Unit, answer_column_name
from skm.periode import Periode
from skm.responses import bulk_insert

TZ = ZoneInfo("Asia/Jakarta")
PERIODE = Periode.triwulan(2026, 3)
UNITS = 50
LAYANAN_PER_UNIT = 10
CHUNK = 50_000


def build(engine: sa.Engine, n: int, seed: int) -> float:
    """Create the schema, the units, the responses and the floor table; return load seconds."""
    migrations.create_schema(engine)
    instrument = get_instrument("permenpan-14-2017")
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    with database.make_sessionmaker(engine)() as session:
        root = Unit(name="Kabupaten Benchmark", kind="kabupaten", slug="kabupaten-benchmark")
        session.add(root)
        session.flush()
        root.path = f"/{root.id}/"
        units = []
        for i in range(UNITS):
            unit = Unit(name=f"Kecamatan {i + 1}", kind="kecamatan", slug=f"kec-{i + 1}",
                        parent=root)  # fmt: skip
            session.add(unit)
            units.append(unit)
        session.flush()
        layanan_ids = []
        for unit in units:
            unit.path = f"{root.path}{unit.id}/"
            rows = [Layanan(unit=unit, name=f"Layanan {j + 1}") for j in range(LAYANAN_PER_UNIT)]
            session.add_all(rows)
            session.flush()
            layanan_ids.append([r.id for r in rows])
        session.commit()
        unit_ids = [u.id for u in units]

        start, end = PERIODE.utc_bounds(TZ)
        seconds = int((end - start).total_seconds())
        columns = [answer_column_name(u.position) for u in instrument.unsur]
        with engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS floor_answers"))
            connection.execute(sa.text(
                "CREATE TABLE floor_answers (" + ", ".join(f"a{i} INTEGER" for i in range(1, 10))
                + ")"
            ))  # fmt: skip
        floor_insert = sa.text(
            "INSERT INTO floor_answers VALUES (" + ", ".join(f":a{i}" for i in range(1, 10)) + ")"
        )
        for offset in range(0, n, CHUNK):
            size = min(CHUNK, n - offset)
            answers = np.clip(np.rint(rng.normal(3.2, 0.7, size=(size, 9))), 1, 4).astype(int)
            blank = rng.random((size, 9)) < 0.01
            unit_index = rng.integers(0, UNITS, size=size)
            layanan_index = rng.integers(0, LAYANAN_PER_UNIT, size=size)
            moments = rng.integers(0, seconds, size=size)
            rows = []
            floor_rows = []
            for r in range(size):
                values = [None if blank[r, j] else int(answers[r, j]) for j in range(9)]
                row = {
                    "uuid": uuid.UUID(int=(offset + r) << 64 | int(rng.integers(0, 2**62))),
                    "unit_id": unit_ids[unit_index[r]],
                    "layanan_id": layanan_ids[unit_index[r]][layanan_index[r]],
                    "instrument_key": instrument.key,
                    "instrument_version": instrument.version,
                    "submitted_at": start + timedelta(seconds=int(moments[r])),
                    "received_at": start + timedelta(seconds=int(moments[r])),
                    "channel": "kiosk",
                    "excluded": False,
                }
                row.update(zip(columns, values, strict=True))
                rows.append(row)
                floor_rows.append({f"a{j + 1}": values[j] for j in range(9)})
            bulk_insert(session, rows)
            session.commit()
            with engine.begin() as connection:
                connection.execute(floor_insert, floor_rows)
    # Statistics and (on PostgreSQL) the visibility map, as autovacuum keeps
    # them on a database in use; without them PostgreSQL cannot answer from
    # the scoring index alone right after a bulk load.
    command = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(command))
    return time.perf_counter() - started


def best_of(repeat: int, run: Callable[[], object]) -> float:
    run()  # warm-up: page cache and plan cache, as on a dashboard used all day
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def measure(name: str, engine: sa.Engine, repeat: int) -> dict[str, float]:
    instrument = get_instrument("permenpan-14-2017")
    floor_sql = sa.text(
        "SELECT " + ", ".join(f"SUM(a{i}), COUNT(a{i})" for i in range(1, 10))
        + " FROM floor_answers"
    )  # fmt: skip
    with database.make_sessionmaker(engine)() as session:
        floor_row = session.execute(floor_sql).one()
        whole = score(session, instrument, PERIODE, TZ)
        assert whole is not None
        # The same answers must give the same sums, or the comparison is void.
        assert [s.sum for s in whole.unsur] == [floor_row[2 * j] for j in range(9)]
        assert [s.count for s in whole.unsur] == [floor_row[2 * j + 1] for j in range(9)]
        root = session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)))
        with reading_raw_rows():
            assert score(session, instrument, PERIODE, TZ) == whole  # summaries == raw rows
        figures = {"floor": best_of(repeat, lambda: session.execute(floor_sql).one())}
        for prefix, source in (("raw_", reading_raw_rows), ("", contextlib.nullcontext)):
            with source():
                figures |= {
                    f"{prefix}whole": best_of(
                        repeat, lambda: score(session, instrument, PERIODE, TZ)
                    ),
                    f"{prefix}whole_unit_tree": best_of(
                        repeat, lambda: score(session, instrument, PERIODE, TZ, Scope(unit=root))
                    ),
                    f"{prefix}per_unit": best_of(
                        repeat, lambda: score_by(session, instrument, PERIODE, TZ, "unit")
                    ),
                    f"{prefix}per_layanan": best_of(
                        repeat, lambda: score_by(session, instrument, PERIODE, TZ, "layanan")
                    ),
                }
    print(f"\n{name}: IKM {whole.konversi:.2f} ({whole.mutu}) from {whole.respondents:,} responses")
    print(f"  {'query':<42} {'raw rows':>9} {'x floor':>8} {'summaries':>10} {'x floor':>8}")
    floor = figures["floor"]
    print(f"  {'floor: bare SUM/COUNT over 9 int columns':<42} {floor:>9.3f} {1:>8.2f}")
    labels = {
        "whole": "SKM whole quarter (all units)",
        "whole_unit_tree": "SKM whole quarter (kabupaten + sub-units)",
        "per_unit": "SKM per unit (50 groups)",
        "per_layanan": "SKM per layanan (500 groups)",
    }
    for key, label in labels.items():
        raw, summarised = figures[f"raw_{key}"], figures[key]
        print(f"  {label:<42} {raw:>9.3f} {raw / floor:>8.2f} {summarised:>10.3f} "
              f"{summarised / floor:>8.2f}")  # fmt: skip
    return figures


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
            engine = database.make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
            load = build(engine, args.responses, args.seed)
            print(f"SQLite: loaded {args.responses:,} responses in {load:.1f} s")
            results["SQLite"] = measure("SQLite", engine, args.repeat)
            engine.dispose()
        if args.database in ("postgresql", "both"):
            schema = f"skm_bench_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(args.postgres_url)
            with admin.begin() as connection:
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            url = sa.engine.make_url(args.postgres_url).update_query_dict(
                {"options": f"-csearch_path={schema}"}
            )
            engine = database.make_engine(url.render_as_string(hide_password=False))
            try:
                load = build(engine, args.responses, args.seed)
                print(f"PostgreSQL: loaded {args.responses:,} responses in {load:.1f} s")
                results["PostgreSQL"] = measure("PostgreSQL", engine, args.repeat)
            finally:
                engine.dispose()
                with admin.begin() as connection:
                    connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()

    print("\nTarget: SKM whole quarter from the summaries at or below the floor on each database.")
    for name, figures in results.items():
        ratio = figures["whole"] / figures["floor"]
        verdict = "met" if ratio <= 1 else "MISSED"
        print(f"  {name}: {ratio:.2f} x floor ({verdict}), {figures['whole']:.3f} s; from raw "
              f"rows {figures['raw_whole'] / figures['floor']:.2f} x floor")  # fmt: skip


if __name__ == "__main__":
    main()
