"""All instruments known to this installation, loaded once.

The package folder holds the official instruments. An office that needs
another instrument, or a local variant, writes a TOML file in the same
schema into a folder of its own and names that folder in the environment
variable ``SKM_INSTRUMENTS_DIR`` (several folders separated by ``os.pathsep``);
no code changes. A local variant gets its own ``key`` (or a new ``version``),
because responses store ``(key, version)`` and two different files must
never answer to the same pair.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from .loader import load_instrument
from .model import Instrument, InstrumentError, UnknownInstrumentError

__all__ = [
    "DEFAULT_INSTRUMENT_KEY",
    "ENV_INSTRUMENTS_DIR",
    "default_instrument",
    "get_instrument",
    "instrument_dirs",
    "registry",
]

DEFAULT_INSTRUMENT_KEY = "permenpan-14-2017"
ENV_INSTRUMENTS_DIR = "SKM_INSTRUMENTS_DIR"
PACKAGE_DIR = Path(__file__).resolve().parent


def instrument_dirs() -> tuple[Path, ...]:
    """The package folder, then every folder named in ``SKM_INSTRUMENTS_DIR``."""
    dirs = [PACKAGE_DIR]
    for part in os.environ.get(ENV_INSTRUMENTS_DIR, "").split(os.pathsep):
        if not part.strip():
            continue
        folder = Path(part.strip()).expanduser()
        # A misspelt folder would silently hide the office's instrument.
        if not folder.is_dir():
            raise InstrumentError(
                f"{ENV_INSTRUMENTS_DIR} menunjuk ke '{folder}', yang bukan folder yang ada"
            )
        dirs.append(folder)
    return tuple(dirs)


@functools.cache
def registry() -> Mapping[tuple[str, int], Instrument]:
    """Every instrument, keyed by ``(key, version)``, loaded and validated once.

    Reads every ``*.toml`` file of :func:`instrument_dirs`. One invalid file
    fails the whole registry on purpose: a broken questionnaire must stop
    the application at start-up, not surface in the middle of a survey.
    Call ``registry.cache_clear()`` after changing the files or the
    environment variable (tests do).
    """
    found: dict[tuple[str, int], Instrument] = {}
    origin: dict[tuple[str, int], Path] = {}
    for folder in instrument_dirs():
        for path in sorted(folder.glob("*.toml")):
            instrument = load_instrument(path)
            ident = (instrument.key, instrument.version)
            if ident in found:
                raise InstrumentError(
                    f"instrumen '{instrument.key}' versi {instrument.version} sudah ada di "
                    f"{origin[ident]}; beri varian lokal 'key' lain atau 'version' baru",
                    str(path),
                )
            found[ident] = instrument
            origin[ident] = path
    return MappingProxyType(dict(sorted(found.items())))


def get_instrument(key: str, version: int | None = None) -> Instrument:
    """The instrument ``key`` at ``version``, or its latest version when None.

    Raises
    ------
    UnknownInstrumentError
        (an :class:`InstrumentError` and a :class:`KeyError`) when no such
        key or version is registered.
    """
    versions = {v: inst for (k, v), inst in registry().items() if k == key}
    if not versions:
        known = ", ".join(sorted({k for k, _ in registry()})) or "-"
        raise UnknownInstrumentError(f"instrumen '{key}' tidak dikenal (yang tersedia: {known})")
    if version is None:
        return versions[max(versions)]
    if version not in versions:
        available = ", ".join(str(v) for v in sorted(versions))
        raise UnknownInstrumentError(
            f"instrumen '{key}' versi {version} tidak dikenal (versi yang tersedia: {available})"
        )
    return versions[version]


def default_instrument() -> Instrument:
    """The latest version of the Permenpan RB 14/2017 questionnaire."""
    return get_instrument(DEFAULT_INSTRUMENT_KEY)
