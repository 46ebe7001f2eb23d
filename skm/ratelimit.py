"""Rate limits for survey submissions, per kiosk, per client address, per API token.

The numbers (see :data:`DEFAULT_LIMITS` and docs/kiosk.md) come from how
long a person needs: nine questions cannot be read and answered in under
ten seconds, and the thank-you screen holds the kiosk for a few more, so a
kiosk at its busiest delivers about three surveys a minute. The kiosk limit
leaves ten times that, so that a queue built up during a network outage
drains in minutes, while a script posting once a second is stopped within
the first minute. A client that is refused receives ``Retry-After``; the
survey page keeps the response in its queue and tries again then, so a
refusal delays a response, it never loses one.

Counts are kept in memory, in a sliding window per key: exact, and right
for the single-process waitress server SKM runs (``skm serve``). Several
server processes would each count on their own.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, current_app

from skm.proxies import client_address

_RATE = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*(second|minute|hour|day)\s*$")
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

#: Setting name -> rates ("30/minute; 600/hour"); overridable in the config.
DEFAULT_LIMITS = {
    # One tablet: a person needs > 20 s per survey including the thank-you
    # screen (<= 3 a minute); 30 a minute drains an offline queue of a
    # whole day (a few hundred) in minutes without letting a script run.
    "SKM_RATE_LIMIT_KIOSK": "30/minute; 600/hour",
    # One address (a phone, or an office network behind one router):
    # 10 a minute is several people finishing at once on the same Wi-Fi.
    "SKM_RATE_LIMIT_ADDRESS": "10/minute; 120/hour",
    # Kiosk heartbeat: one a minute, plus one after each delivery run.
    "SKM_RATE_LIMIT_HEARTBEAT": "20/minute",
    # Fresh CSRF tokens: one per delivery attempt at worst (a rate, not a password).
    "SKM_RATE_LIMIT_TOKEN": "60/minute",  # nosec B105
    # Other systems: imports of a day's paper forms arrive in bursts.
    "SKM_RATE_LIMIT_API": "600/minute",
}


@dataclass(frozen=True)
class Rate:
    """At most ``count`` hits in any ``seconds``-long window."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text)
        if not match or int(match[1]) < 1:
            raise ValueError(
                f"Batas laju '{text}' tidak dikenal; tulis misalnya '30/minute' atau '600/hour'."
            )
        return cls(int(match[1]), _SECONDS[match[2]])


@lru_cache(maxsize=64)
def parse_rates(text: str) -> tuple[Rate, ...]:
    """``"30/minute; 600/hour"`` -> two rates."""
    return tuple(Rate.parse(part) for part in text.split(";") if part.strip())


class RateLimiter:
    """Sliding-window counters in memory, safe to share between threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._hits: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def hit(self, key: str, rates: Iterable[Rate]) -> float | None:
        """Count one hit on ``key``; None if allowed, else seconds until it would be.

        A refused hit is not counted, so a client that waits as told gets in.
        """
        rates = tuple(rates)
        if not rates:
            return None
        longest = max(rate.seconds for rate in rates)
        with self._lock:
            now = self.clock()  # read under the lock: hits stay sorted
            self._sweep(now)
            hits = self._hits.setdefault(key, [])
            expired = bisect_right(hits, now - longest)
            if expired:
                del hits[:expired]
            wait = 0.0
            for rate in rates:
                in_window = len(hits) - bisect_right(hits, now - rate.seconds)
                if in_window >= rate.count:
                    # Allowed again once the oldest of the last `count` hits leaves the window.
                    wait = max(wait, hits[len(hits) - rate.count] + rate.seconds - now)
            if wait > 0:
                return wait
            hits.append(now)
            return None

    def recent(self, key: str, seconds: float) -> int:
        """How many hits ``key`` had in the last ``seconds``."""
        now = self.clock()
        with self._lock:
            hits = self._hits.get(key, [])
            return len(hits) - bisect_right(hits, now - seconds)

    def _sweep(self, now: float) -> None:
        # Forget idle keys now and then, so that addresses seen once do not
        # accumulate for months on an office server.
        self._calls += 1
        if self._calls % 1000:
            return
        day = _SECONDS["day"]
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - day]:
            del self._hits[key]


def init_app(app: Flask) -> None:
    """Give the application its limiter and default limits (once)."""
    app.extensions.setdefault("skm.ratelimit", RateLimiter())
    for name, value in DEFAULT_LIMITS.items():
        app.config.setdefault(name, value)
    app.config.setdefault("SKM_RATE_LIMITS_ENABLED", True)


def limiter() -> RateLimiter:
    return current_app.extensions["skm.ratelimit"]  # type: ignore[no-any-return]


def check(kind: str, key: str) -> float | None:
    """Count a hit of ``kind`` (e.g. ``"KIOSK"``) for ``key``; seconds to wait, or None."""
    if not current_app.config.get("SKM_RATE_LIMITS_ENABLED", True):
        return None
    rates = parse_rates(current_app.config[f"SKM_RATE_LIMIT_{kind}"])
    return limiter().hit(f"{kind}:{key}", rates)


#: Made anew by each process: the counts' keys cannot be turned back into
#: addresses, not even by someone who reads the process's memory later.
_ADDRESS_SALT = secrets.token_bytes(16)


def client_key() -> str:
    """The client's address as the survey limits count it: a salted hash, never the address.

    Citizens' addresses are not kept anywhere (docs/security.md): the counts
    live in memory for at most a day, under this key.
    """
    address = client_address().encode()
    return hashlib.blake2b(address, key=_ADDRESS_SALT, digest_size=12).hexdigest()


def retry_after_header(wait: float) -> str:
    return str(max(1, math.ceil(wait)))
