#!/usr/bin/env python3
"""Set up and run SKM with one command; works on Linux and Windows.

    python3 dev.py run    # virtualenv, install from the lock, demo data on SQLite, serve on :5000
    python3 dev.py test   # virtualenv, install from the lock with test tools, lint, types, tests

For maintainers:

    python3 dev.py release-check   # build wheel and sdist, try the wheel outside the checkout
    python3 dev.py lock            # update requirements/*.txt after changing setup.cfg
    python3 dev.py lock --upgrade  # the same, taking the newest releases the ranges allow
    python3 dev.py test-newest     # the tests on those newest releases (.venv-newest)

Only the standard library is used here, since this runs before anything
is installed. The virtualenv lives in .venv; it is reinstalled from the lock
(requirements/app.txt, requirements/test.txt) only when the lock changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCKS = {"app": ROOT / "requirements" / "app.txt", "test": ROOT / "requirements" / "test.txt"}
#: The lock tool; users never need it, only `dev.py lock` does.
UV = "uv==0.13.8"
#: The lock is resolved from this Python up, for Linux, Windows and macOS alike.
LOCK_PYTHON = "3.11"


def bin_dir(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def python_in(venv: Path) -> Path:
    return bin_dir(venv) / ("python.exe" if os.name == "nt" else "python")


PYTHON = python_in(VENV)


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=cwd, env=env)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def say(message: str) -> None:
    print(f"\n== {message}", flush=True)


def make_venv(venv: Path) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py runs before any check)
        sys.exit("SKM membutuhkan Python 3.11 atau lebih baru.")
    if not python_in(venv).exists():
        say(f"Membuat lingkungan Python di {venv}")
        run(sys.executable, "-m", "venv", venv)


def install_locked(venv: Path, lock: Path) -> None:
    """Exactly the locked releases, hash-checked.

    The lock includes setuptools, so SKM itself is then built without build
    isolation: not even the build backend comes from an unlocked download.
    """
    say(
        f"Memasang paket dari {lock.relative_to(ROOT)}. Pemasangan pertama memakan "
        "beberapa menit (di PC kantor bisa 5-10 menit); berikutnya hanya jika berkas kunci berubah."
    )
    run(python_in(venv), "-m", "pip", "install", "--require-hashes", "-r", lock)


def ensure_environment(kind: str) -> None:
    make_venv(VENV)
    lock = LOCKS[kind]
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    stamp = VENV / f".installed-{kind}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    install_locked(VENV, lock)
    say("Memasang SKM dari folder ini (editable)")
    run(PYTHON, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--editable", ".")
    stamp.write_text(digest)


def skm(*args: str) -> None:
    run(PYTHON, "-m", "skm", *args)


def command_run(args: list[str]) -> None:
    ensure_environment("app")
    skm("demo")
    skm("init", "--admin-username", "admin")
    skm("serve", "--host", os.environ.get("SKM_HOST", "127.0.0.1"), "--port", "5000")


def checks(python: Path) -> None:
    """Lint, formatting and types; setup.cfg's [mypy] sections say how strict for which."""
    run(python, "-m", "ruff", "check", ".")
    run(python, "-m", "ruff", "format", "--check", ".")
    run(python, "-m", "mypy", "scoring", "questionnaires", "skm")


def command_test(pytest_args: list[str]) -> None:
    ensure_environment("test")
    checks(PYTHON)
    run(PYTHON, "-m", "pytest", *pytest_args)


def command_release_check(args: list[str]) -> None:
    """Build the wheel and sdist, and try the wheel where the checkout cannot help it."""
    ensure_environment("test")
    with tempfile.TemporaryDirectory(prefix="skm-rilis-") as folder:
        work = Path(folder)
        dist = work / "dist"
        say("Membangun sdist dan wheel (wheel dibangun dari sdist, seperti pip memasang sdist)")
        # setuptools adds every file its last manifest listed: start from none.
        shutil.rmtree(ROOT / "skm.egg-info", ignore_errors=True)
        run(PYTHON, "-m", "build", "--no-isolation", "--outdir", dist, ".")
        wheel = next(dist.glob("skm-*.whl"))
        sdist = next(dist.glob("skm-*.tar.gz"))
        venv = work / "venv"
        make_venv(venv)
        install_locked(venv, LOCKS["app"])
        run(python_in(venv), "-m", "pip", "install", "--no-deps", wheel)
        say("Mencoba SKM terpasang, di luar folder ini")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = os.pathsep.join([str(bin_dir(venv)), env.get("PATH", "")])
        # A copy, run from the temporary folder: nothing of the checkout is on sys.path.
        script = work / "release_check.py"
        shutil.copy(ROOT / "scripts" / "release_check.py", script)
        check = [python_in(venv), script, "--wheel", wheel, "--sdist", sdist, "--checkout", ROOT]
        run(*check, env=env, cwd=work)


def command_lock(args: list[str]) -> None:
    """Resolve setup.cfg's ranges into requirements/app.txt and requirements/test.txt.

    Pins already in the lock are kept unless ``--upgrade`` is given, so adding
    one dependency does not upgrade everything else with it.
    """
    make_venv(VENV)
    run(PYTHON, "-m", "pip", "install", UV)
    compile_ = [
        bin_dir(VENV) / "uv",
        *("pip", "compile", "--universal", "--python-version", LOCK_PYTHON, "--generate-hashes"),
        *(["--upgrade"] if "--upgrade" in args else []),
        *("setup.cfg", "requirements/build.in"),
    ]
    run(*compile_, "--output-file", "requirements/app.txt")
    # The test lock is held to the application's pins, so tests run what offices run.
    test_lock = ("--extra", "test", "--constraint", "requirements/app.txt")
    run(*compile_, *test_lock, "--output-file", "requirements/test.txt")


def command_test_newest(pytest_args: list[str]) -> None:
    """The suite on the newest releases setup.cfg allows: upgrades tried on purpose, never in CI."""
    venv = ROOT / ".venv-newest"
    make_venv(venv)
    say("Memasang rilis terbaru yang diizinkan setup.cfg (tanpa berkas kunci)")
    pip = (python_in(venv), "-m", "pip", "install", "--upgrade")
    run(*pip, "pip", "setuptools>=68", "wheel")
    run(*pip, "--upgrade-strategy", "eager", "--editable", ".[test]")
    run(python_in(venv), "-m", "pip", "list")
    checks(python_in(venv))
    run(python_in(venv), "-m", "pytest", *pytest_args)


COMMANDS = {
    "run": command_run,
    "test": command_test,
    "release-check": command_release_check,
    "lock": command_lock,
    "test-newest": command_test_newest,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
