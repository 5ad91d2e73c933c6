"""Fixed-window rate limiting and held slots in process memory (embedded mode: one process)."""

from __future__ import annotations

import math
import time

from social.domain.shared.rate_limits import RateLimit, RateLimitDecision

__all__ = ["InMemoryRateLimiter"]


class InMemoryRateLimiter:
    """Keeps one ``(window_end, count)`` pair per key; expired pairs are swept as keys come and
    go, so memory stays proportional to the keys active in the last window."""

    def __init__(self, *, max_keys: int = 200_000) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._max_keys = max_keys
        self._slots: dict[str, dict[str, float]] = {}
        """Per key, each holder's deadline (monotonic)."""

    async def hit(self, key: str, rule: RateLimit) -> RateLimitDecision:
        now = time.monotonic()
        key = f"{rule.window_s}:{key}"  # a key under two rules keeps two counts, as in Redis
        window_end, count = self._windows.get(key, (0.0, 0))
        if window_end <= now:
            window_end, count = now + rule.window_s, 0
        count += 1
        self._windows[key] = (window_end, count)
        if len(self._windows) > self._max_keys:
            self._sweep(now)
        return RateLimitDecision(
            allowed=count <= rule.limit,
            limit=rule.limit,
            remaining=max(rule.limit - count, 0),
            reset_after_s=max(math.ceil(window_end - now), 1),
        )

    def _sweep(self, now: float) -> None:
        self._windows = {k: v for k, v in self._windows.items() if v[0] > now}

    async def acquire(self, key: str, holder: str, *, limit: int, ttl_s: float) -> bool:
        now = time.monotonic()
        held = {h: until for h, until in self._slots.get(key, {}).items() if until > now}
        if holder not in held and len(held) >= limit:
            self._slots[key] = held
            return False
        held[holder] = now + ttl_s
        self._slots[key] = held
        return True

    async def renew(self, key: str, holder: str, *, ttl_s: float) -> None:
        self._slots.setdefault(key, {})[holder] = time.monotonic() + ttl_s

    async def release(self, key: str, holder: str) -> None:
        held = self._slots.get(key)
        if held is not None:
            held.pop(holder, None)
            if not held:
                del self._slots[key]
