"""Kiosks, units and layanan as every submission needs them, kept in memory briefly.

Each survey delivered looks up its kiosk, unit and layanan; they change a
few times a year and are read hundreds of times an hour. Reading them once
every few seconds instead of on every request is most of what lets a busy
server keep up (benchmarks/load.py). Staff actions on kiosks in this
process forget the cached kiosk at once; any other change (a kiosk closed
from the command line, a layanan switched off by an admin) takes effect
within :data:`TTL_SECONDS`.

What is cached are small frozen copies (KioskRef, UnitRef, LayananRef),
never ORM objects: they are shared between threads, and a submission
needs a few of their fields only. :class:`CachedReferences` answers the
checks of :func:`skm.responses.response_values` from them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from skm.hashing import secret_hash
from skm.models import Layanan, Unit
from skm.models.kiosk import Kiosk

TTL_SECONDS = 10.0


@dataclass(frozen=True)
class KioskRef:
    """What a submission needs to know about its kiosk."""

    id: int
    token: str
    unit_id: int
    layanan_id: int | None
    active: bool


@dataclass(frozen=True)
class UnitRef:
    """What a submission needs to know about its unit."""

    id: int
    slug: str


@dataclass(frozen=True)
class LayananRef:
    """What a submission needs to know about the chosen layanan."""

    id: int
    unit_id: int
    active: bool


class ReferenceCache:
    """Per application (each has its own database); safe to share between threads."""

    def __init__(self, ttl: float = TTL_SECONDS, clock: Any = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[tuple[str, Any], tuple[float, Any]] = {}
        self._lock = threading.Lock()
        #: When each kiosk's delivery was last written (see submission.mark_delivery).
        self.delivery_marks: dict[int, datetime] = {}

    def get(self, key: tuple[str, Any]) -> tuple[bool, Any]:
        entry = self._entries.get(key)
        if entry is None or entry[0] < self.clock():
            return False, None
        return True, entry[1]

    def put(self, key: tuple[str, Any], value: Any) -> None:
        with self._lock:
            self._entries[key] = (self.clock() + self.ttl, value)

    def forget(self) -> None:
        with self._lock:
            self._entries.clear()


def cache() -> ReferenceCache:
    return current_app.extensions["skm.reference"]  # type: ignore[no-any-return]


def init_app(app: Any) -> None:
    app.extensions.setdefault("skm.reference", ReferenceCache())


def forget() -> None:
    """Drop everything cached (after staff change a kiosk)."""
    cache().forget()


# Built once, with the looked-up value as parameter: composing a statement
# costs more than a cache hit.
_KIOSK = sa.select(Kiosk.id, Kiosk.unit_id, Kiosk.layanan_id, Kiosk.active).where(
    Kiosk.token_hash == sa.bindparam("key")
)
_UNIT_BY_ID = sa.select(Unit.id, Unit.slug).where(Unit.id == sa.bindparam("key"))
_UNIT_BY_SLUG = sa.select(Unit.id, Unit.slug).where(Unit.slug == sa.bindparam("key"))
_LAYANAN = sa.select(Layanan.id, Layanan.unit_id, Layanan.active).where(
    Layanan.id == sa.bindparam("key")
)


def _cached(
    connection: sa.Connection, kind: str, value: Any, query: Any, make: Any, param: Any = None
) -> Any:
    """``make(*row)`` of the query's row for ``value`` (None without one), cached.

    The query looks up ``param`` when given (a hash of ``value``), else ``value``.
    """
    store = cache()
    found, ref = store.get((kind, value))
    if not found:
        row = connection.execute(query, {"key": value if param is None else param}).first()
        ref = make(*row) if row is not None else None
        store.put((kind, value), ref)
    return ref


def kiosk_ref(connection: sa.Connection, token: str) -> KioskRef | None:
    """The kiosk with this secret (open or closed), or None."""
    if not token or len(token) > 64:
        return None
    # Only the secret's hash is stored; the ref carries the plain secret the
    # tablet sent, for the URLs and rate limits of this kiosk.
    return _cached(  # type: ignore[no-any-return]
        connection,
        "kiosk",
        token,
        _KIOSK,
        lambda kiosk_id, *rest: KioskRef(kiosk_id, token, *rest),
        param=secret_hash(token),
    )


def unit_by_id(connection: sa.Connection, unit_id: int) -> UnitRef | None:
    return _cached(connection, "unit", unit_id, _UNIT_BY_ID, UnitRef)  # type: ignore[no-any-return]


def unit_by_slug(connection: sa.Connection, slug: str) -> UnitRef | None:
    return _cached(connection, "unit-slug", slug, _UNIT_BY_SLUG, UnitRef)  # type: ignore[no-any-return]


def layanan_by_id(connection: sa.Connection, layanan_id: int) -> LayananRef | None:
    return _cached(connection, "layanan", layanan_id, _LAYANAN, LayananRef)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class CachedReferences:
    """The checks' unit and layanan lookups, answered from the cache."""

    connection: sa.Connection

    def unit_exists(self, unit_id: int) -> bool:
        return unit_by_id(self.connection, unit_id) is not None

    def layanan(self, layanan_id: int) -> LayananRef | None:
        return layanan_by_id(self.connection, layanan_id)
