#!/usr/bin/env python3
"""The disk fills up under load (SQLite on a small tmpfs).

The instance folder and the SQLite file live on a tmpfs of ``--size`` (8m),
mounted for the run (root only; without permission the script says so and
exits with status 2). Sixteen clients post surveys; then a file fills the
rest of the tmpfs. Deliveries answer 507 (or 503) with ``Retry-After`` and
an Indonesian message, never 2xx without the row; ``skm db backup`` refuses
with an Indonesian message and leaves no partial file. The file is removed,
the same server stores surveys again, ``skm db backup`` succeeds, and the
clients resend what was refused.

PostgreSQL is not run: its data directory belongs to the database server,
not to a folder this script can fill. At most ``--per-client`` (250) surveys
per client: on 8 MB the database and its write-ahead log (up to 4 MB) must
still fit once the filler is gone.

    .venv/bin/python benchmarks/faults/disk_full.py
    .venv/bin/python benchmarks/faults/disk_full.py --full-seconds 10
"""

from __future__ import annotations

import contextlib
import errno
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.faults import common

#: Exit status when the tmpfs cannot be mounted (tests skip on it).
CANNOT_MOUNT = 2

FILLER = "pengisi.bin"


@contextlib.contextmanager
def small_disk(work: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``work/penuh``, unmounted afterwards whatever happens."""
    mount_point = work / "penuh"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        print(
            f"disk_full: cannot mount a tmpfs ({mounted.stderr.strip() or 'not permitted'}); "
            "run as root (mount -t tmpfs needs it)",
            flush=True,
        )
        sys.exit(CANNOT_MOUNT)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=False)


def fill(folder: Path) -> int:
    """Write a file until the disk is full; its size in bytes."""
    written = 0
    chunk = b"\0" * 65536
    with (folder / FILLER).open("wb", buffering=0) as filler:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    written += filler.write(chunk[:size])
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    return written


def backup(site: common.Site, *to: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        common.skm_command(site, "db", "backup", *to),
        cwd=common.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def backup_files(site: common.Site) -> list[str]:
    folder = site.instance / "cadangan"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def check_refused_backup(site: common.Site, notes: list[str], problems: list[str]) -> None:
    refused = backup(site)
    message = (refused.stderr or refused.stdout).strip().splitlines()
    notes.append(f"skm db backup on the full disk: exit {refused.returncode}, {message[-1:]}")
    if refused.returncode == 0:
        problems.append("skm db backup succeeded on a full disk")
    elif "ruang diska penuh" not in refused.stderr:
        problems.append(f"skm db backup refused without saying the disk is full: {message}")
    left = backup_files(site)
    if left:
        problems.append(f"skm db backup left files on the full disk: {left}")


def scenario(site: common.Site, work: Path, args: Any) -> common.Verdict:
    disk = site.instance.parent
    with common.under_load(site, work, args) as load:
        ledger, notes, problems = load.ledger, load.notes, load.problems
        time.sleep(args.before)
        ledger.fault_begins()
        filled = fill(disk)
        notes.append(f"disk filled with {filled / 1024:.0f} KB")
        time.sleep(args.full_seconds)
        acknowledged = ledger.acknowledged_now()
        lost = common.lost_now(site.url, acknowledged)
        notes.append(
            f"disk full: {len(acknowledged)} acknowledged by then, {lost} of them without a row"
        )
        if lost:
            problems.append(f"{lost} acknowledged surveys without a row while the disk was full")
        check_refused_backup(site, notes, problems)
        (disk / FILLER).unlink()
        ledger.fault_ends()
        lifted = time.monotonic()
        time.sleep(args.after)
        load.finish()
        during = ledger.statuses()
        recovered = ledger.answered_after(lifted)
        notes.append(
            f"{during[507]} answered 507, {during[503]} answered 503 in all; "
            f"after the disk was freed, without a restart: {recovered[201]} stored"
        )
        if during[507] + during[503] == 0:
            problems.append("no delivery was refused: the disk never filled for SQLite")
        if recovered[201] == 0:
            problems.append("the server stored nothing after the disk was freed")
        load.resend()
        # Elsewhere: the database and its WAL may now take most of the small disk.
        again = backup(site, "--to", str(work / "cadangan"))
        notes.append(f"skm db backup to another disk afterwards: exit {again.returncode}")
        if again.returncode != 0:
            problems.append(f"skm db backup failed with room on the disk: {again.stderr.strip()}")
    return common.verdict(site, ledger, notes, problems)


def main() -> None:
    parser = common.arguments(__doc__.split("\n\n")[0], per_client=250)
    parser.set_defaults(databases="sqlite")
    parser.add_argument("--size", default="8m", help="size of the tmpfs (mount -o size=)")
    parser.add_argument("--before", type=float, default=3.0, help="seconds of load before filling")
    parser.add_argument(
        "--full-seconds", type=float, default=6.0, help="seconds the disk stays full"
    )
    parser.add_argument("--after", type=float, default=8.0, help="seconds of load after freeing")
    args = parser.parse_args()
    if common.databases(args) != ["sqlite"]:
        raise SystemExit("disk_full runs on SQLite only (see the module docstring)")
    args.full_seconds = max(1.0, min(args.full_seconds, 60))
    print(
        f"disk full: {args.clients} clients, SQLite on a {args.size} tmpfs, "
        f"full for {args.full_seconds:g} s",
        flush=True,
    )
    common.run_per_database(args, scenario, place=lambda work: small_disk(work, args.size))


if __name__ == "__main__":
    main()
