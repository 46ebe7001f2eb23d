"""Fixtures for the questionnaire tests: a small valid instrument and a clean registry."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from questionnaires import registry

# Two unsur asked in the opposite order, four bands as in Permenpan RB 14/2017.
SMALL_INSTRUMENT = textwrap.dedent(
    """\
    key = "kecil"
    version = 1
    title = "Instrumen uji"
    short_name = "Uji"

    [scale]
    min = 1
    max = 4
    letters = ["a", "b", "c", "d"]

    [[unsur]]
    key = "alpha"
    code = "U1"
    name = "Alpha"

    [[unsur]]
    key = "beta"
    code = "U2"
    name = "Beta"

    [[questions]]
    number = 1
    unsur = "beta"
    text = "Bagaimana pendapat Saudara tentang beta?"
    [questions.labels]
    1 = "Buruk"
    2 = "Cukup"
    3 = "Baik"
    4 = "Sangat baik"

    [[questions]]
    number = 2
    unsur = "alpha"
    text = "Bagaimana pendapat Saudara tentang alpha?"
    [questions.labels]
    1 = "Tidak sesuai"
    2 = "Kurang sesuai"
    3 = "Sesuai"
    4 = "Sangat sesuai"

    [[profile]]
    key = "pendidikan"
    label = "Pendidikan"
    kind = "choice"
    options = [
        { key = "sd", label = "SD ke bawah" },
        { key = "smp", label = "SMP" },
    ]

    [[profile]]
    key = "usia"
    label = "Usia"
    kind = "integer"
    minimum = 15
    maximum = 100
    bands = [
        { key = "muda", label = "15–39", minimum = 15, maximum = 39 },
        { key = "tua", label = "40–100", minimum = 40, maximum = 100 },
    ]

    [[grades]]
    persepsi = 1
    ni = ["1.00", "2.5996"]
    konversi = ["25.00", "64.99"]
    mutu = "D"
    kinerja = "Tidak Baik"

    [[grades]]
    persepsi = 2
    ni = ["2.60", "3.064"]
    konversi = ["65.00", "76.60"]
    mutu = "C"
    kinerja = "Kurang Baik"

    [[grades]]
    persepsi = 3
    ni = ["3.0644", "3.532"]
    konversi = ["76.61", "88.30"]
    mutu = "B"
    kinerja = "Baik"

    [[grades]]
    persepsi = 4
    ni = ["3.5324", "4.00"]
    konversi = ["88.31", "100.00"]
    mutu = "A"
    kinerja = "Sangat Baik"
    """
)


@pytest.fixture
def write_instrument(tmp_path: Path) -> Callable[..., Path]:
    """Write SMALL_INSTRUMENT, with ``(old, new)`` replacements, to tmp_path."""

    def write(*replacements: tuple[str, str], name: str = "rusak.toml") -> Path:
        text = SMALL_INSTRUMENT
        for old, new in replacements:
            assert old in text, f"test bug: {old!r} not in the small instrument"
            text = text.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty registry cache and no SKM_INSTRUMENTS_DIR, restored afterwards."""
    monkeypatch.delenv("SKM_INSTRUMENTS_DIR", raising=False)
    registry.cache_clear()
    yield
    registry.cache_clear()
