#!/usr/bin/env python3
"""Set up and run SKM with one command; works on Linux and Windows.

    python3 dev.py run    # virtualenv, install, demo data on SQLite, serve on :5000
    python3 dev.py test   # virtualenv, install with test tools, lint, type-check, all tests

Only the standard library is used here, since this runs before anything
is installed. The virtualenv lives in .venv; dependencies are reinstalled
only when setup.cfg changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def ensure_environment(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py runs before any check)
        sys.exit("SKM membutuhkan Python 3.11 atau lebih baru.")
    if not PYTHON.exists():
        run(sys.executable, "-m", "venv", VENV)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    digest = hashlib.sha256((ROOT / "setup.cfg").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'app'}"
    if not stamp.exists() or stamp.read_text() != digest:
        target = f".[{extras}]" if extras else "."
        run(PYTHON, "-m", "pip", "install", "--quiet", "--editable", target)
        stamp.write_text(digest)


def skm(*args: str) -> None:
    run(PYTHON, "-m", "skm.cli", *args)


def command_run() -> None:
    ensure_environment("")
    skm("demo")
    skm("init", "--admin-username", "admin")
    skm("serve", "--host", os.environ.get("SKM_HOST", "127.0.0.1"), "--port", "5000")


def command_test(pytest_args: list[str]) -> None:
    ensure_environment("test")
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "mypy", "scoring", "questionnaires")
    run(PYTHON, "-m", "pytest", *pytest_args)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test"):
        sys.exit(__doc__)
    if sys.argv[1] == "run":
        command_run()
    else:
        command_test(sys.argv[2:])


if __name__ == "__main__":
    main()
