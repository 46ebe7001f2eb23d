"""Rate limits: a busy kiosk is never held up; a script is stopped within a minute."""

from __future__ import annotations

import pytest

from skm.ratelimit import DEFAULT_LIMITS, Rate, RateLimiter, parse_rates


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


KIOSK = parse_rates(DEFAULT_LIMITS["SKM_RATE_LIMIT_KIOSK"])
ADDRESS = parse_rates(DEFAULT_LIMITS["SKM_RATE_LIMIT_ADDRESS"])


def test_rates_are_read_as_written() -> None:
    assert parse_rates("30/minute; 600/hour") == (Rate(30, 60), Rate(600, 3600))
    assert parse_rates("5 per second") == (Rate(5, 1),)


@pytest.mark.parametrize("text", ["30", "0/minute", "30/fortnight", "lots/minute"])
def test_unreadable_rates_are_refused_in_indonesian(text) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_rates(text)


def test_a_busy_kiosk_is_never_held_up_in_a_whole_day() -> None:
    # The fastest real rhythm: 12 s of answers and 8 s of thank-you screen,
    # one person after another from opening to closing time.
    clock = Clock()
    limiter = RateLimiter(clock)
    for _ in range(8 * 3600 // 20):
        assert limiter.hit("kiosk:a", KIOSK) is None
        clock.now += 20


def test_a_day_of_offline_queue_drains_within_minutes() -> None:
    # 300 responses queued during an outage, sent as fast as the server allows:
    # the page waits as told by Retry-After and sends the next one.
    clock = Clock()
    limiter = RateLimiter(clock)
    start = clock.now
    delivered = 0
    while delivered < 300:
        wait = limiter.hit("kiosk:a", KIOSK)
        if wait is None:
            delivered += 1
            clock.now += 0.05
        else:
            clock.now += wait
    assert clock.now - start <= 11 * 60


def test_a_script_posting_every_second_is_stopped_within_the_first_minute() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    refused_at = None
    for second in range(60):
        if limiter.hit("kiosk:a", KIOSK) is not None:
            refused_at = second
            break
        clock.now += 1
    assert refused_at == 30  # the 31st request, 30 seconds in


def test_the_wait_is_until_the_oldest_hit_leaves_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    rates = [Rate(3, 60)]
    for _ in range(3):
        assert limiter.hit("x", rates) is None
        clock.now += 10  # hits at 0, 10, 20
    wait = limiter.hit("x", rates)  # at 30
    assert wait == pytest.approx(30.0)  # the hit at 0 leaves the window at 60
    clock.now += 29.9
    assert limiter.hit("x", rates) is not None
    clock.now += 0.2
    assert limiter.hit("x", rates) is None  # refused hits were not counted


def test_keys_are_counted_apart() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    for _ in range(10):
        assert limiter.hit("address:10.0.0.1", ADDRESS) is None
    assert limiter.hit("address:10.0.0.1", ADDRESS) is not None
    assert limiter.hit("address:10.0.0.2", ADDRESS) is None


def test_recent_counts_hits_in_the_last_seconds() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    for _ in range(4):
        limiter.hit("k", [Rate(100, 3600)])
        clock.now += 20  # hits at 0, 20, 40, 60; now 80
    assert limiter.recent("k", 60) == 2  # 40 and 60
    assert limiter.recent("unknown", 60) == 0
