"""Fixed-window rate limiting in process memory (embedded mode: one process)."""

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
