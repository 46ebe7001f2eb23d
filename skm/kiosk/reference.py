"""Kiosks, units and layanan as every submission needs them, kept in memory briefly.

Each survey delivered looks up its kiosk, unit and layanan; they change a
few times a year and are read hundreds of times an hour. Reading them once
every few seconds instead of on every request is most of what lets a busy
server keep up (benchmarks/load.py). Staff actions on kiosks in this
process forget the cached kiosk at once; any other change (a kiosk closed
from the command line, a layanan switched off by an admin) takes effect
within :data:`TTL_SECONDS`.

Cached units and layanan are detached copies, put into each request's
session with ``Session.merge(load=False)`` (no query): the checks of
:func:`skm.responses.response_values` then find them in the session's
identity map instead of asking the database again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from skm.kiosk.models import Kiosk
from skm.models import Layanan, Unit

TTL_SECONDS = 10.0

T = TypeVar("T", Unit, Layanan)


@dataclass(frozen=True)
class KioskRef:
    """What a submission needs to know about its kiosk."""

    id: int
    token: str
    unit_id: int
    layanan_id: int | None
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
    return current_app.extensions["skm.kiosk.reference"]  # type: ignore[no-any-return]


def init_app(app: Any) -> None:
    app.extensions.setdefault("skm.kiosk.reference", ReferenceCache())


def forget() -> None:
    """Drop everything cached (after staff change a kiosk)."""
    cache().forget()


def kiosk_ref(session: Session, token: str) -> KioskRef | None:
    """The kiosk with this secret (open or closed), or None."""
    if not token or len(token) > 64:
        return None
    store = cache()
    found, ref = store.get(("kiosk", token))
    if not found:
        row = (
            session.connection()
            .execute(
                sa.select(
                    Kiosk.id, Kiosk.token, Kiosk.unit_id, Kiosk.layanan_id, Kiosk.active
                ).where(Kiosk.token == token)
            )
            .first()
        )
        ref = KioskRef(*row) if row is not None else None
        store.put(("kiosk", token), ref)
    return ref  # type: ignore[no-any-return]


def _in_session(session: Session, model: type[T], key: tuple[str, Any], query: Any) -> T | None:
    store = cache()
    found, detached = store.get(key)
    if not found:
        detached = session.scalar(query)
        if detached is not None:
            # A copy of its own for the cache, so that this session's object
            # and the cached one never share state.
            session.expunge(detached)
            store.put(key, detached)
            return session.merge(detached, load=False)
        store.put(key, None)
        return None
    if detached is None:
        return None
    return session.merge(detached, load=False)


def unit_by_id(session: Session, unit_id: int) -> Unit | None:
    return _in_session(session, Unit, ("unit", unit_id), sa.select(Unit).where(Unit.id == unit_id))


def unit_by_slug(session: Session, slug: str) -> Unit | None:
    return _in_session(session, Unit, ("unit-slug", slug), sa.select(Unit).where(Unit.slug == slug))


def layanan_by_id(session: Session, layanan_id: int) -> Layanan | None:
    query = sa.select(Layanan).where(Layanan.id == layanan_id)
    return _in_session(session, Layanan, ("layanan", layanan_id), query)
