"""The report benchmark still runs (small size; the figures are not judged here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_report_benchmark_runs() -> None:
    completed = subprocess.run(
        [sys.executable, "benchmarks/report.py", "--responses", "300", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "from 300 responses" in completed.stdout
    for kind in ("pdf", "ringkasan", "xlsx", "csv"):
        assert f"] {kind}" in completed.stdout
