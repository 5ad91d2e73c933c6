"""The hot pool of suggested posts (DISC-2) is read once a minute per process, not once a page:
kept while young and for windows starting near the one it was read for, read again after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.suggested_posts import HOT_POOL, HOT_POOL_TTL_S, HotPool
from social.domain.discovery.suggested_posts import CandidateBounds
from social.domain.shared.ids import new_id

SINCE = datetime(2026, 3, 1, tzinfo=UTC)


class CountingPool(ReadPool):
    """Answers the hot pool's statement with new ids each time, and counts the calls."""

    def __init__(self) -> None:
        super().__init__("postgresql://nowhere/none", size=1, acquire_timeout_s=1)
        self.calls: list[tuple[object, ...]] = []

    async def fetch(self, sql: str, *args: object) -> Sequence[Any]:
        assert sql == HOT_POOL
        self.calls.append(args)
        return [(new_id(),)]


async def test_the_pool_is_kept_a_minute_for_nearby_windows() -> None:
    now = [0.0]
    hot = HotPool(bounds=CandidateBounds(hot_pool=7), monotonic=lambda: now[0])
    pool = CountingPool()
    first = await hot.ids(pool, SINCE)
    now[0] = HOT_POOL_TTL_S - 1
    assert await hot.ids(pool, SINCE + timedelta(seconds=HOT_POOL_TTL_S - 1)) == first
    assert pool.calls == [(SINCE, 7)]

    far = SINCE + timedelta(days=1)  # another window: read for it
    other = await hot.ids(pool, far)
    assert other != first
    now[0] += HOT_POOL_TTL_S  # too old: read again
    assert await hot.ids(pool, far) != other
    assert pool.calls == [(SINCE, 7), (far, 7), (far, 7)]
