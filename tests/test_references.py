"""Docs and docstrings name modules and functions that exist.

Moving code leaves its old name behind in prose: ``skm.staff.dashboard`` in
a docstring, `skm/kiosk/ratelimit.py` in a guide. Every reference written
as code (``skm.x.y`` or :mod:`skm.x` in Python, `skm.x.y` or `skm/x.py` in
Markdown) must resolve: a module, or an attribute of one.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Code spans that look like dotted names but are not Python: extension keys,
#: browser storage keys, file names, host names.
NOT_PYTHON = re.compile(
    r"^skm\.(engine|sessionmaker|reference|ratelimit|iku_targets|antrean|ditolak|sqlite3|csv|kantor|example|local)\b"
)

_DOTTED = re.compile(
    r"(?:``|:(?:mod|func|class|data|attr|meth):`|(?<!`)`)(skm(?:\.\w+)+)(?:\(\))?`"
)
_PATH = re.compile(
    r"`((?:skm|scoring|questionnaires|tests|scripts|benchmarks)/[\w/.-]+\.(?:py|toml|md))`"
)


def _sources() -> list[Path]:
    files = [
        p
        for folder in ("skm", "tests", "scripts", "benchmarks")
        for p in (ROOT / folder).rglob("*.py")
    ]
    files += [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
    return [p for p in files if "versions" not in p.parts and p.name != "test_references.py"]


def _resolves(name: str) -> bool:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for attribute in parts[end:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def _references() -> list[tuple[str, str]]:
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for match in _DOTTED.finditer(text):
            if not NOT_PYTHON.match(match.group(1)):
                found.append((str(path.relative_to(ROOT)), match.group(1)))
        for match in _PATH.finditer(text):
            found.append((str(path.relative_to(ROOT)), match.group(1)))
    return found


def test_there_are_references_to_check() -> None:
    assert len(_references()) > 100


@pytest.mark.parametrize("where", ["dotted", "path"])
def test_every_reference_resolves(where: str) -> None:
    broken = []
    for source, name in _references():
        is_path = "/" in name
        if (where == "path") != is_path:
            continue
        ok = (ROOT / name).exists() if is_path else _resolves(name)
        if not ok:
            broken.append(f"{source}: {name}")
    assert broken == []


def test_a_stale_name_is_caught() -> None:
    assert not _resolves("skm.staff.dashboard")
    assert not _resolves("skm.results.dashboard.no_such_function")
    assert _resolves("skm.results.dashboard.build_dashboard")
