"""Running the benchmark scripts from the tests, small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def run_benchmark(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``benchmarks/<name>.py`` run as a user runs it, from the repository's root."""
    return subprocess.run(
        [sys.executable, f"benchmarks/{name}.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
