"""The benchmark scripts still run (small sizes; the figures are not judged here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_scoring_benchmark_runs_and_checks_its_sums() -> None:
    completed = subprocess.run(
        [sys.executable, "benchmarks/scoring.py", "--responses", "600", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "from 600 responses" in completed.stdout
    assert "x floor" in completed.stdout


def test_delivery_costs_benchmark_runs_every_part() -> None:
    completed = subprocess.run(
        [sys.executable, "benchmarks/delivery_costs.py", "--requests", "20", "--blocks", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    # Every part ran (a kiosk delivery that was refused would have stopped the script).
    for part in ("bare request", "SKM row, raw", "SKM save_response", "CSRF token", "SKM request"):
        assert part in completed.stdout
    assert "ratio  bare request / SKM request" in completed.stdout


def test_dashboard_benchmark_runs_both_ways_and_they_agree() -> None:
    completed = subprocess.run(
        [sys.executable, "benchmarks/dashboard.py", "--responses", "400", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The script asserts that the summaries give the score the raw rows give.
    assert completed.returncode == 0, completed.stderr
    assert "(400 in 8 triwulan)" in completed.stdout
    assert "raw rows  summaries" in completed.stdout


def test_charts_benchmark_draws_the_eight_charts_both_ways(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "benchmarks/charts.py", "--repeat", "1", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "all 8 charts" in completed.stdout
    assert len(list(tmp_path.glob("*.png"))) == 8
