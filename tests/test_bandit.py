"""bandit finds nothing in the package (configuration: [tool.bandit] in pyproject.toml).

Every finding is fixed or justified in place with ``# nosec BXXX`` and a
comment saying why. The same check by hand::

    .venv/bin/python -m bandit -q -c pyproject.toml -r skm scoring questionnaires
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bandit_reports_no_issue() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-q",
            "-c",
            "pyproject.toml",
            "-f",
            "txt",
            "-r",
            "skm",
            "scoring",
            "questionnaires",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
