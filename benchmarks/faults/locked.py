#!/usr/bin/env python3
"""The database locked (SQLite) or its connections ended (PostgreSQL) under load.

SQLite: another process takes the write lock (``BEGIN IMMEDIATE``) and holds
it for ``--hold`` seconds (10). PostgreSQL: every connection of the server
(found by its ``application_name``, on this run's schema of the test
database only) is ended with ``pg_terminate_backend``, again and again for
``--hold`` seconds. Meanwhile sixteen clients post surveys. Deliveries wait
a bounded time, then answer 503 with ``Retry-After``; none answers 2xx
without its row, none takes longer than the kiosk's 20-second timeout; after
the fault the same server (not restarted) stores surveys again, and the
clients resend what was refused.

    .venv/bin/python benchmarks/faults/locked.py                     # SQLite and PostgreSQL
    .venv/bin/python benchmarks/faults/locked.py --databases sqlite --hold 10
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.faults import common

#: Held by another process, as a backup tool or a second program would.
HOLD_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""

TERMINATE = sa.text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE application_name = :name AND datname = current_database() "
    "AND pid <> pg_backend_pid()"
)


def with_application_name(site: common.Site) -> str:
    """The server's URL naming its connections, so that only they are ended."""
    name = f"skm-faults-{uuid.uuid4().hex[:10]}"
    site.url = (
        make_url(site.url)
        .update_query_dict({"application_name": name})
        .render_as_string(hide_password=False)
    )
    return name


def lock_sqlite(site: common.Site, seconds: float) -> str:
    database = make_url(site.url).database
    assert database
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, database, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    holder.stdout.readline()  # "locked"
    holder.wait(timeout=seconds + 30)
    return f"write lock held by process {holder.pid} for {seconds:g} s"


def terminate_postgres(postgres_url: str, name: str, seconds: float) -> str:
    admin = sa.create_engine(postgres_url)
    ended = rounds = 0
    deadline = time.monotonic() + seconds
    with admin.connect() as connection:
        while time.monotonic() < deadline:
            ended += int(connection.execute(TERMINATE, {"name": name}).scalar() or 0)
            connection.commit()
            rounds += 1
            time.sleep(0.2)
    admin.dispose()
    return f"{ended} server connections ended in {rounds} rounds over {seconds:g} s"


def scenario(site: common.Site, work: Path, args: Any) -> common.Verdict:
    name = with_application_name(site) if site.kind == "postgresql" else ""
    with common.under_load(site, work, args) as load:
        ledger, notes, problems = load.ledger, load.notes, load.problems
        time.sleep(args.before)
        acknowledged_before = len(ledger.acknowledged_now())
        ledger.fault_begins()
        if site.kind == "sqlite":
            notes.append(lock_sqlite(site, args.hold))
        else:
            notes.append(terminate_postgres(args.postgres_url, name, args.hold))
        ledger.fault_ends()
        lifted = time.monotonic()
        during = ledger.statuses()
        time.sleep(args.after)
        load.finish()
        recovered = ledger.answered_after(lifted)
        stored_after = recovered[201] + recovered[200]
        notes.append(
            f"{acknowledged_before} acknowledged before the fault; "
            f"{during[503]} answered 503 by its end; after it, "
            f"without a restart: {stored_after} stored, {recovered[503]} answered 503"
        )
        if stored_after == 0:
            problems.append("the server stored nothing after the fault: it did not recover")
        if during[503] == 0:
            notes.append("no 503 at all: the fault did not reach a delivery (load too light?)")
        slowest = ledger.slowest()
        notes.append(
            f"slowest answer {slowest:.1f} s (a kiosk gives up at {common.HANG_SECONDS:g} s)"
        )
        if slowest >= common.HANG_SECONDS:
            problems.append(f"an answer took {slowest:.1f} s: a kiosk would have given up")
        load.resend()
    return common.verdict(site, ledger, notes, problems)


def main() -> None:
    parser = common.arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--hold", type=float, default=10.0, help="seconds the fault lasts (max 60)")
    parser.add_argument("--before", type=float, default=3.0, help="seconds of load before it")
    parser.add_argument("--after", type=float, default=8.0, help="seconds of load after it")
    args = parser.parse_args()
    args.hold = max(0.5, min(args.hold, 60))
    print(
        f"locked: {args.clients} clients; SQLite write-locked, PostgreSQL connections ended, "
        f"for {args.hold:g} s",
        flush=True,
    )
    common.run_per_database(args, scenario)


if __name__ == "__main__":
    main()
