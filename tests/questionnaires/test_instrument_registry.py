"""The registry: package files, SKM_INSTRUMENTS_DIR, lookup by key and version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaires import (
    DEFAULT_INSTRUMENT_KEY,
    InstrumentError,
    UnknownInstrumentError,
    default_instrument,
    get_instrument,
    registry,
)

pytestmark = pytest.mark.usefixtures("fresh_registry")


def test_package_instruments() -> None:
    assert set(registry()) == {
        ("permenpan-14-2017", 1),
        ("permenpan-16-2014", 1),
        ("kepmenpan-25-2004", 1),
    }
    assert default_instrument().key == DEFAULT_INSTRUMENT_KEY


def test_loaded_once() -> None:
    first = registry()
    assert registry() is first
    assert get_instrument(DEFAULT_INSTRUMENT_KEY) is first[(DEFAULT_INSTRUMENT_KEY, 1)]
    info = registry.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        registry()[("lain", 1)] = default_instrument()  # type: ignore[index]


def test_extra_folder_adds_an_instrument(
    write_instrument: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_instrument(name="kecil.toml")
    monkeypatch.setenv("SKM_INSTRUMENTS_DIR", str(path.parent))
    assert ("kecil", 1) in registry()
    assert get_instrument("kecil").short_name == "Uji"
    assert ("permenpan-14-2017", 1) in registry()


def test_latest_version_by_default(
    write_instrument: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_instrument(name="kecil.toml")
    path = write_instrument(
        ("version = 1", "version = 2"),
        ('short_name = "Uji"', 'short_name = "Uji 2"'),
        name="kecil-v2.toml",
    )
    monkeypatch.setenv("SKM_INSTRUMENTS_DIR", str(path.parent))
    assert get_instrument("kecil").version == 2
    assert get_instrument("kecil", 1).short_name == "Uji"
    assert get_instrument("kecil", 2).short_name == "Uji 2"


def test_unknown_key() -> None:
    with pytest.raises(
        UnknownInstrumentError, match="instrumen 'tidak-ada' tidak dikenal"
    ) as caught:
        get_instrument("tidak-ada")
    assert isinstance(caught.value, InstrumentError)
    assert isinstance(caught.value, KeyError)
    assert "permenpan-14-2017" in str(caught.value)


def test_unknown_version() -> None:
    with pytest.raises(
        UnknownInstrumentError, match=r"versi 7 tidak dikenal \(versi yang tersedia: 1\)"
    ):
        get_instrument(DEFAULT_INSTRUMENT_KEY, 7)


def test_same_key_and_version_twice_is_an_error(
    write_instrument: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_instrument(('key = "kecil"', 'key = "permenpan-14-2017"'), name="salinan.toml")
    monkeypatch.setenv("SKM_INSTRUMENTS_DIR", str(path.parent))
    with pytest.raises(InstrumentError, match="'permenpan-14-2017' versi 1 sudah ada"):
        registry()


def test_missing_extra_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKM_INSTRUMENTS_DIR", str(tmp_path / "tidak-ada"))
    with pytest.raises(InstrumentError, match="SKM_INSTRUMENTS_DIR menunjuk ke"):
        registry()


def test_broken_extra_file_fails_the_registry(
    write_instrument: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_instrument(('2 = "Kurang sesuai"\n', ""))
    monkeypatch.setenv("SKM_INSTRUMENTS_DIR", str(path.parent))
    with pytest.raises(InstrumentError, match=r"^rusak\.toml: pertanyaan 2 tidak memiliki label"):
        registry()
