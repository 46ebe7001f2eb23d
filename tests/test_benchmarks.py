"""The benchmark scripts still run (small sizes; the figures are not judged here)."""

from __future__ import annotations

from pathlib import Path

from tests.support.benchmarks import run_benchmark


def test_scoring_benchmark_runs_and_checks_its_sums() -> None:
    completed = run_benchmark("scoring", "--responses", "600", "--repeat", "1")
    assert completed.returncode == 0, completed.stderr
    assert "from 600 responses" in completed.stdout
    assert "x floor" in completed.stdout


def test_delivery_costs_benchmark_runs_every_part() -> None:
    completed = run_benchmark("delivery_costs", "--requests", "20", "--blocks", "1")
    assert completed.returncode == 0, completed.stderr
    # Every part ran (a kiosk delivery that was refused would have stopped the script).
    for part in ("bare request", "SKM row, raw", "SKM save_response", "CSRF token", "SKM request"):
        assert part in completed.stdout
    assert "ratio  bare request / SKM request" in completed.stdout


def test_dashboard_benchmark_runs_both_ways_and_they_agree() -> None:
    completed = run_benchmark("dashboard", "--responses", "400", "--repeat", "1")
    # The script asserts that the summaries give the score the raw rows give.
    assert completed.returncode == 0, completed.stderr
    assert "(400 in 8 triwulan)" in completed.stdout
    assert "raw rows  summaries" in completed.stdout


def test_charts_benchmark_draws_the_eight_charts_both_ways(tmp_path: Path) -> None:
    completed = run_benchmark("charts", "--repeat", "1", "--out", str(tmp_path))
    assert completed.returncode == 0, completed.stderr
    assert "all 8 charts" in completed.stdout
    assert len(list(tmp_path.glob("*.png"))) == 8
