"""How often one caller may ask: a token bucket per key (a participant's token, a facilitator, an address).

A bucket holds up to `burst` requests and refills at `rate` per second; a request takes one or is refused. A
person tapping answers on a phone never comes near the defaults; a script hammering the server does, and gets
429 instead of the server's time. Keys not seen for a while are forgotten, so the table stays small.

>>> limits = RateLimits(rate=1.0, burst=2, clock=lambda: 0.0)
>>> [limits.allow("a") for _ in range(3)], limits.allow("b")
([True, True, False], True)
"""

from __future__ import annotations

import time
from collections.abc import Callable

FORGET_AFTER = 600.0
"""Seconds after which a key's bucket, full again by then, is dropped."""
MAX_KEYS = 10_000
"""The most buckets kept: a caller new to a full table is refused until old ones are forgotten (the server keys
buckets by known tokens and by address, so a room never comes near it)."""


class RateLimits:
    """Token buckets per key: `allow(key)` says whether one more request of `key` may go through now."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self._clock = float(rate), int(burst), clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._swept = clock()

    def allow(self, key: str) -> bool:
        """Take one request from `key`'s bucket if it has one; say whether it had."""
        now = self._clock()
        if key not in self._buckets and len(self._buckets) >= MAX_KEYS:
            self._forget(now)
            if len(self._buckets) >= MAX_KEYS:
                return False
        level, then = self._buckets.get(key, (float(self.burst), now))
        level = min(float(self.burst), level + (now - then) * self.rate)
        allowed = level >= 1.0
        self._buckets[key] = (level - 1.0 if allowed else level, now)
        if now - self._swept > FORGET_AFTER:
            self._forget(now)
        return allowed

    def _forget(self, now: float) -> None:
        self._swept = now
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < FORGET_AFTER}


__all__ = ["RateLimits"]
