"""A small in-process LRU cache for dashboard numbers and chart images.

Entries are keyed by the data they were computed from (see
:func:`skm.results.dashboard.data_version`), so a stale entry is never
served: new or excluded responses change the key. The cache only saves
work; losing it (a restart) costs one slower page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import current_app


class LruCache:
    """Thread-safe least-recently-used cache (waitress serves with several threads)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            try:
                value = self._items[key]
            except KeyError:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def app_cache(name: str, maxsize: int) -> LruCache:
    """The application's cache called ``name``, made on first use."""
    key = f"skm.results.cache.{name}"
    cache = current_app.extensions.get(key)
    if cache is None:
        cache = current_app.extensions.setdefault(key, LruCache(maxsize))
    return cache  # type: ignore[no-any-return]
