"""The fault scripts (benchmarks/faults/) in a reduced form, on SQLite and PostgreSQL.

Each starts ``skm serve`` as a real process on a free loopback port, injects
its fault under load from sixteen clients, and exits non-zero when an
acknowledged survey is lost or doubled, or the server answers an error other
than the expected 503/507 (see benchmarks/faults/common.py). The full-size
commands are in docs/faults.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATABASES, POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


#: Both databases in one run of a script: each run imports SKM and starts servers
#: (seconds each on a busy machine), and CI time is counted.
EVERY_DATABASE = ",".join(DATABASES)


def run_script(name: str, databases: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, f"benchmarks/faults/{name}.py", "--databases", databases, *args]
    if POSTGRES_URL:
        command += ["--postgres-url", POSTGRES_URL]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)


def assert_kept(completed: subprocess.CompletedProcess[str], databases: str) -> str:
    assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
    out = completed.stdout
    names = databases.split(",")
    for database in names:
        assert f"{database:<10} sent " in out
    for promise in (
        "acknowledged-then-lost 0, duplicated 0, server errors 0",
        "0 surveys without a row, 0 rows never sent",
        "promise kept",
    ):
        assert out.count(promise) == len(names), out
    assert "BROKEN" not in out
    return out


def test_killed_three_times_loses_and_doubles_nothing() -> None:
    completed = run_script(
        "crash", EVERY_DATABASE, "--kills", "3", "--min-seconds", "0.3", "--max-seconds", "1"
    )
    out = assert_kept(completed, EVERY_DATABASE)
    for kill in (1, 2, 3):
        assert out.count(f"kill {kill}: ") == len(DATABASES)
    assert out.count("0 of them without a row") == 3 * len(DATABASES)


def test_locked_or_lost_database_answers_503_and_recovers() -> None:
    # Longer than SQLite's busy_timeout (5 s), so that some deliveries give up waiting.
    completed = run_script(
        "locked", EVERY_DATABASE, "--hold", "6.5", "--before", "0.5", "--after", "2"
    )
    out = assert_kept(completed, EVERY_DATABASE)
    assert out.count("answered 503 by its end") == len(DATABASES)
    assert "no 503 at all" not in out


def test_full_disk_answers_507_and_backup_refuses() -> None:
    completed = run_script(
        "disk_full", "sqlite", "--before", "1", "--full-seconds", "2", "--after", "2"
    )
    if completed.returncode == 2 and "cannot mount a tmpfs" in completed.stdout:
        pytest.skip(completed.stdout.strip())
    out = assert_kept(completed, "sqlite")
    assert "ruang diska penuh" in out


def test_same_uuid_other_answers_is_409_on_every_path() -> None:
    completed = run_script("conflict", EVERY_DATABASE, "--surveys", "5", "--pairs", "8")
    out = assert_kept(completed, EVERY_DATABASE)
    assert out.count("0 stored surveys whose answers are not the acknowledged ones") == len(
        DATABASES
    )
