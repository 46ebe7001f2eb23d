"""The report benchmark still runs (small size; the figures are not judged here)."""

from __future__ import annotations

from tests.support.benchmarks import run_benchmark


def test_report_benchmark_runs() -> None:
    completed = run_benchmark("report", "--responses", "300", "--repeat", "1")
    assert completed.returncode == 0, completed.stderr
    assert "from 300 responses" in completed.stdout
    for kind in ("pdf", "ringkasan", "xlsx", "csv"):
        assert f"] {kind}" in completed.stdout
