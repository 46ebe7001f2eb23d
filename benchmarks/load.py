#!/usr/bin/env python3
"""Concurrent survey submissions: SKM's production server versus a bare handler.

Two servers run side by side on loopback, each in its own process, both
waitress with the settings of ``skm serve`` (8 threads):

* SKM: the application as ``skm serve`` runs it, receiving what kiosk
  tablets send (``POST /kiosk/<token>/kirim`` with session cookie and CSRF
  token), through every check: CSRF, rate limit, validation against the
  instrument, flagging, idempotent storage by UUID;
* bare: a Flask handler that parses the same JSON and inserts the same nine
  integers into SQLite (WAL, the same pragmas), one commit per request.

Client threads (one per kiosk) post a bounded number of surveys to each in
turn, a share of them sent twice (a kiosk retrying after a lost answer). The
script prints throughput and latency of both, their ratio (for reference:
the bare handler keeps no index, summary or check), the target SKM must
meet (one 2-core server absorbing a province's peak: at least
``CAPACITY_TARGET`` surveys a second, every check kept), and the count
check: every acknowledged
survey stored exactly once, nothing else stored, and the summary tables
equal to the stored responses (no increment lost between concurrent kiosks).

Rate limits are raised for the run (the limiter still counts every request):
at their production values a benchmark is exactly the script they stop.

The ratio depends on concurrency. With one client it compares CPU per
request alone (the bare handler does one insert of nine integers; SKM also
reads a session cookie, checks a CSRF token, validates and flags); with
many, both servers also wait for SQLite's write lock and the interpreter
lock, which costs the bare handler as much per request as SKM. Run
``--clients 1`` and ``--clients 4`` to see both ends.

    .venv/bin/python benchmarks/load.py                         # 2 x 2000 surveys each, SQLite
    .venv/bin/python benchmarks/load.py --requests 1000 --clients 8
    .venv/bin/python benchmarks/load.py --database-url postgresql+psycopg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: As ``skm serve`` (skm/cli/serve.py).
SERVER_THREADS = 8
#: Surveys a second one 2-core server must take at a province's peak.
CAPACITY_TARGET = 150
ASKED = ["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku",
         "sarana", "pengaduan"]  # fmt: skip


# --- the two servers (run in child processes) ----------------------------------------


def _quiet_waitress() -> None:
    # Under load waitress logs every time requests queue for a thread.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def serve_skm(port: int, instance: Path, database_url: str) -> None:
    from waitress import serve

    from skm import create_app

    app = create_app(
        {
            "SKM_DATABASE_URL": database_url,
            "INSTANCE_PATH": instance,
            "SKM_RATE_LIMIT_KIOSK": "100000000/minute",
            "SKM_RATE_LIMIT_TOKEN": "100000000/minute",
        }
    )
    _quiet_waitress()
    serve(app, host="127.0.0.1", port=port, threads=SERVER_THREADS, ident="skm", _quiet=True)


def _bare_pragmas() -> tuple[str, ...]:
    from skm.database import SQLITE_PRAGMAS

    # The bare table has no foreign keys; everything else as SKM's connections.
    return tuple(p for p in SQLITE_PRAGMAS if not p.startswith("foreign_keys"))


BARE_PRAGMAS = _bare_pragmas()
BARE_INSERT = "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"


def bare_connection(path: Path) -> sqlite3.Connection:
    """A connection with SKM's SQLite settings (skm/database.py)."""
    connection = sqlite3.connect(path)
    for pragma in BARE_PRAGMAS:
        connection.execute(f"PRAGMA {pragma}")
    return connection


def create_bare_table(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        columns = ", ".join(f"a{i} INTEGER" for i in range(9))
        db.execute(f"CREATE TABLE answers ({columns})")


def bare_app(path: Path) -> Any:
    """The bare handler: parse the JSON, insert nine integers, commit (a connection per thread)."""
    from flask import Flask, jsonify, request

    app = Flask("bare")
    local = threading.local()

    def connection() -> sqlite3.Connection:
        if not hasattr(local, "connection"):
            local.connection = bare_connection(path)
        return local.connection  # type: ignore[no-any-return]

    @app.post("/bare")
    def bare():  # type: ignore[no-untyped-def]
        answers = request.get_json()["answers"]
        db = connection()
        db.execute(BARE_INSERT, [int(answers[key]) for key in ASKED])
        db.commit()
        return jsonify({"status": "created"}), 201

    return app


def serve_bare(port: int, path: Path) -> None:
    from waitress import serve

    app = bare_app(path)
    _quiet_waitress()
    serve(app, host="127.0.0.1", port=port, threads=SERVER_THREADS, ident="bare", _quiet=True)


# --- the load --------------------------------------------------------------------------


@dataclass
class Outcome:
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    errors: int = 0
    seconds: float = 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} stopped (exit {process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not start")


def survey(rng: random.Random, layanan_id: int, ended: datetime) -> dict[str, object]:
    """A survey that took 95 seconds and ended at ``ended``, sent now."""
    return {
        "uuid": str(uuid.uuid4()),
        "instrument": "permenpan-14-2017@1",
        "layanan_id": layanan_id,
        "answers": {key: rng.randint(1, 4) for key in ASKED},
        "profile": {"jenis_kelamin": rng.choice("LP"), "usia": rng.randint(17, 80)},
        "saran": None,
        "started_at": (ended - timedelta(seconds=95)).isoformat(),
        "submitted_at": ended.isoformat(),
        "sent_at": datetime.now(UTC).isoformat(),
    }


def run_load(
    port: int,
    paths: list[str],
    per_client: int,
    duplicate_share: float,
    layanan_id: int,
    deadline_seconds: float,
    csrf: bool,
) -> Outcome:
    """Each client thread posts ``per_client`` surveys over one keep-alive connection."""
    outcome = Outcome()
    lock = threading.Lock()
    barrier = threading.Barrier(len(paths) + 1)

    def client(index: int, path: str) -> None:
        rng = random.Random(index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if csrf:
            conn.request("GET", "/survei/_token")
            response = conn.getresponse()
            token = json.loads(response.read())["csrf_token"]
            cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
            headers |= {"X-CSRFToken": token, "Cookie": cookie}
        sent: list[dict[str, object]] = []
        barrier.wait()
        stop_at = time.monotonic() + deadline_seconds
        for _ in range(per_client):
            if time.monotonic() > stop_at:
                break
            if sent and rng.random() < duplicate_share:
                body = rng.choice(sent)  # a retry of an earlier survey
            else:
                # One kiosk, one person at a time: surveys two minutes apart.
                ended = datetime.now(UTC) - timedelta(minutes=2 * len(sent))
                body = survey(rng, layanan_id, ended)
                sent.append(body)
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=json.dumps(body), headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    outcome.errors += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                outcome.statuses.append(status)
                outcome.latencies.append(elapsed)
                if status in (200, 201):
                    outcome.acknowledged.add(str(body["uuid"]))
        conn.close()

    threads = [
        threading.Thread(target=client, args=(index, path)) for index, path in enumerate(paths)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - began
    return outcome


# --- set-up, runs and the report -------------------------------------------------------------


def prepare_skm(instance: Path, database_url: str, kiosks: int) -> tuple[list[str], int]:
    from skm import create_app, database, migrations
    from skm.kiosk.kiosks import open_kiosk
    from skm.units import add_layanan, create_unit

    app = create_app({"SKM_DATABASE_URL": database_url, "INSTANCE_PATH": instance})
    with app.app_context():
        migrations.create_schema(database.engine())
        session = database.session()
        unit = create_unit(session, "Kecamatan Beban", "kecamatan")
        (layanan,) = add_layanan(session, unit, ["Kartu Keluarga"])
        tokens = [open_kiosk(session, unit, f"Loket {i + 1}").token for i in range(kiosks)]
        session.commit()
        layanan_id = layanan.id
    app.extensions["skm.engine"].dispose()
    return [f"/kiosk/{token}/kirim" for token in tokens], layanan_id


def skm_counts(database_url: str) -> tuple[int, set[str], int]:
    """Rows, their UUIDs and the largest number of rows sharing one UUID."""
    import sqlalchemy as sa

    from skm.database import make_engine

    engine = make_engine(database_url)
    with engine.connect() as connection:
        uuids = [str(value) for value in connection.scalars(sa.text("SELECT uuid FROM response"))]
    engine.dispose()
    most = max(Counter(uuids).values(), default=0)
    return len(uuids), {str(uuid.UUID(u)) for u in uuids}, most


def skm_summary_differences(database_url: str) -> int:
    """How many summary values differ from the responses (skm db check-summaries)."""
    from zoneinfo import ZoneInfo

    from skm.config import DEFAULT_TIMEZONE
    from skm.database import make_engine
    from skm.summaries.maintenance import differences

    engine = make_engine(database_url)
    with engine.connect() as connection:
        found = differences(connection, ZoneInfo(DEFAULT_TIMEZONE))
    engine.dispose()
    return len(found)


def merged(outcomes: list[Outcome]) -> Outcome:
    total = Outcome()
    for outcome in outcomes:
        total.statuses += outcome.statuses
        total.latencies += outcome.latencies
        total.acknowledged |= outcome.acknowledged
        total.errors += outcome.errors
        total.seconds += outcome.seconds
    return total


def cpu_seconds(process: subprocess.Popen[bytes]) -> float:
    """CPU time a server process used so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def describe(name: str, outcome: Outcome) -> str:
    done = len(outcome.statuses)
    rate = done / outcome.seconds if outcome.seconds else 0.0
    p50 = statistics.median(outcome.latencies) * 1000 if outcome.latencies else 0.0
    p95 = (
        statistics.quantiles(outcome.latencies, n=20)[-1] * 1000
        if len(outcome.latencies) >= 20
        else 0.0
    )
    counts = Counter(outcome.statuses)
    codes = ", ".join(f"{code}: {counts[code]}" for code in sorted(counts))
    return (
        f"{name:<6} {done:>6} requests in {outcome.seconds:6.2f} s = {rate:8.1f} req/s   "
        f"latency p50 {p50:6.1f} ms, p95 {p95:6.1f} ms   ({codes}; errors {outcome.errors})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=2000, help="surveys per server and round (max 20000)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds (max 5)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent kiosks")
    parser.add_argument("--duplicates", type=float, default=0.05, help="share sent twice")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per run")
    parser.add_argument("--database-url", default=None, help="SKM's database (default SQLite)")
    parser.add_argument("--serve", choices=["skm", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.serve == "skm":
        serve_skm(args.port, args.path, args.database_url)
        return
    if args.serve == "bare":
        serve_bare(args.port, args.path)
        return

    args.rounds = max(1, min(args.rounds, 5))
    requests = max(args.clients, min(args.requests, 20000))
    per_client = requests // args.clients
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        postgres = bool(args.database_url and args.database_url.startswith("postgresql"))
        skm_url = args.database_url or f"sqlite:///{work / 'skm.sqlite3'}"
        if postgres:
            skm_url = fresh_postgres_schema(args.database_url)  # dropped at the end
        try:
            paths, layanan_id = prepare_skm(work / "instance", skm_url, args.clients)
            bare_path = work / "bare.sqlite3"
            create_bare_table(bare_path)

            skm_port, bare_port = free_port(), free_port()
            python = sys.executable
            script = str(Path(__file__).resolve())
            servers = [
                subprocess.Popen([python, script, "--serve", "skm", "--port", str(skm_port),
                                  "--path", str(work / "instance"), "--database-url", skm_url]),
                subprocess.Popen([python, script, "--serve", "bare", "--port", str(bare_port),
                                  "--path", str(bare_path)]),
            ]  # fmt: skip
            try:
                wait_for_port(skm_port, servers[0])
                wait_for_port(bare_port, servers[1])
                print(
                    f"{requests} surveys per server from {args.clients} concurrent kiosks "
                    f"({args.duplicates:.0%} sent twice); waitress, {SERVER_THREADS} threads; "
                    f"SKM on {skm_url.split(':')[0]}, bare handler on SQLite",
                    flush=True,
                )
                warm = max(1, 50 // args.clients)
                run_load(bare_port, ["/bare"] * args.clients, warm, 0, layanan_id, 30, csrf=False)
                run_load(skm_port, paths, warm, 0, layanan_id, 30, csrf=True)
                warm_rows, _, _ = skm_counts(skm_url)
                with sqlite3.connect(bare_path) as db:
                    bare_warm_rows = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

                # Alternating rounds, so that a burst of other work on the machine
                # does not fall on one server only.
                bare_runs: list[Outcome] = []
                skm_runs: list[Outcome] = []
                bare_cpu = skm_cpu = 0.0
                for _ in range(args.rounds):
                    before = cpu_seconds(servers[1])
                    bare_run = run_load(
                        bare_port, ["/bare"] * args.clients, per_client, args.duplicates,
                        layanan_id, args.seconds, csrf=False,
                    )  # fmt: skip
                    bare_cpu += cpu_seconds(servers[1]) - before
                    bare_runs.append(bare_run)
                    before = cpu_seconds(servers[0])
                    skm_run = run_load(
                        skm_port, paths, per_client, args.duplicates, layanan_id, args.seconds,
                        csrf=True,
                    )  # fmt: skip
                    skm_cpu += cpu_seconds(servers[0]) - before
                    skm_runs.append(skm_run)
            finally:
                for server in servers:
                    server.terminate()
                for server in servers:
                    server.wait(timeout=30)

            for number, (bare_run, skm_run) in enumerate(zip(bare_runs, skm_runs, strict=True), 1):
                print(f"round {number}")
                print(describe("bare", bare_run))
                print(describe("SKM", skm_run))
            bare = merged(bare_runs)
            skm = merged(skm_runs)
            bare_rate = len(bare.statuses) / bare.seconds
            skm_rate = len(skm.statuses) / skm.seconds
            ratio = skm_rate / bare_rate
            verdict = "met" if skm_rate >= CAPACITY_TARGET else "NOT met"
            print(
                f"total  bare {bare_rate:.1f} req/s, SKM {skm_rate:.1f} req/s "
                f"(target >= {CAPACITY_TARGET}: {verdict}); ratio SKM / bare = {ratio:.2f}"
            )
            if bare_cpu and skm_cpu:
                bare_ms = bare_cpu / len(bare.statuses) * 1000
                skm_ms = skm_cpu / len(skm.statuses) * 1000
                print(f"cpu    server CPU per request: bare {bare_ms:.2f} ms, SKM {skm_ms:.2f} ms")

            rows, stored, most = skm_counts(skm_url)
            created = skm.statuses.count(201)
            new_rows = rows - warm_rows
            missing = skm.acknowledged - stored
            exact = not missing and most == 1 and new_rows == created == len(skm.acknowledged)
            print(
                f"count  SKM: {len(skm.acknowledged)} surveys acknowledged "
                f"({created} created, {skm.statuses.count(200)} duplicates answered 200), "
                f"{new_rows} rows stored, {len(missing)} acknowledged but missing, "
                f"at most {most} row per UUID: {'exactly once' if exact else 'MISMATCH'}"
            )
            with sqlite3.connect(bare_path) as db:
                bare_total = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            bare_rows = bare_total - bare_warm_rows
            print(f"count  bare: {bare.statuses.count(201)} acknowledged, {bare_rows} rows stored")
            summary_differences = skm_summary_differences(skm_url)
            summed = "MISMATCH" if summary_differences else "every delivery counted once"
            print(
                f"count  SKM summaries: {summary_differences} values differ from the stored "
                f"responses ({summed})"
            )
            if not exact or summary_differences:
                sys.exit(1)
        finally:
            if postgres:
                drop_postgres_schema(args.database_url, skm_url)


def fresh_postgres_schema(url: str) -> str:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    schema = f"skm_load_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    fresh = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return fresh.render_as_string(hide_password=False)


def drop_postgres_schema(url: str, schema_url: str) -> None:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    schema = make_url(schema_url).query["options"].split("=", 1)[1]
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
