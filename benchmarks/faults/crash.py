#!/usr/bin/env python3
"""The server killed (SIGKILL) under load, three times, and started again.

Sixteen clients (kiosks, phones and API clients, taking turns) post new
surveys to ``skm serve``. At a random moment the server process is killed
with SIGKILL; while it is down, every UUID acknowledged so far must have its
row exactly once (read straight from the database). It is started again, and
after the last kill the clients resend everything that got no 2xx; then
there is exactly one row per survey sent.

    .venv/bin/python benchmarks/faults/crash.py                      # SQLite and PostgreSQL
    .venv/bin/python benchmarks/faults/crash.py --databases sqlite --kills 5
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.faults import common


def scenario(site: common.Site, work: Path, args: Any) -> common.Verdict:
    with common.under_load(site, work, args) as load:
        for kill in range(1, args.kills + 1):
            time.sleep(random.uniform(args.min_seconds, args.max_seconds))
            load.ledger.fault_begins()
            load.server.kill()
            acknowledged = load.ledger.acknowledged_now()
            lost = common.lost_now(site.url, acknowledged)
            load.notes.append(
                f"kill {kill}: {len(acknowledged)} acknowledged so far, "
                f"{lost} of them without a row"
            )
            if lost:
                load.problems.append(f"{lost} acknowledged surveys missing after kill {kill}")
            load.server.start()
            load.ledger.fault_ends()
        time.sleep(args.min_seconds)  # load on the restarted server, then stop
        unacknowledged = load.finish()
        load.resend()
        load.notes.append(f"resent {unacknowledged} unacknowledged surveys after the last restart")
    return common.verdict(site, load.ledger, load.notes, load.problems)


def main() -> None:
    parser = common.arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=3, help="kills per database (max 20)")
    parser.add_argument("--min-seconds", type=float, default=2.0, help="load before a kill, least")
    parser.add_argument("--max-seconds", type=float, default=8.0, help="load before a kill, most")
    args = parser.parse_args()
    args.kills = max(1, min(args.kills, 20))
    args.max_seconds = max(args.min_seconds, min(args.max_seconds, 120))
    print(
        f"crash: {args.clients} clients, SIGKILL {args.kills} times after "
        f"{args.min_seconds:g}-{args.max_seconds:g} s of load each",
        flush=True,
    )
    common.run_per_database(args, scenario)


if __name__ == "__main__":
    main()
