"""A tag's bounded count (the tag page's header) is read each time while small, and kept a minute
per process once it reaches the bound: counting costs in proportion to the rows counted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from social.adapters.postgres.listings import BIG_TAG_TTL_S, AsyncpgListings
from social.adapters.postgres.read_pool import ReadPool


class CountingPool(ReadPool):
    """Answers every count with ``counts[tag]`` (capped at the bound), and counts the calls."""

    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__("postgresql://nowhere/none", size=1, acquire_timeout_s=1)
        self.counts = counts
        self.calls: list[str] = []

    async def fetch(self, sql: str, *args: object) -> Sequence[Any]:
        tag, at_most = args
        assert isinstance(tag, str) and isinstance(at_most, int)
        self.calls.append(tag)
        return [(min(self.counts.get(tag, 0), at_most),)]


async def test_small_tags_are_counted_each_time_big_ones_kept_a_minute() -> None:
    now = [1000.0]
    pool = CountingPool({"bali": 3, "sunset": 5000})
    listings = AsyncpgListings(pool, planned=pool, monotonic=lambda: now[0])
    assert await listings.count_public_posts_tagged("bali", at_most=1001) == 3
    pool.counts["bali"] = 4  # a post tagged meanwhile: counted at once
    assert await listings.count_public_posts_tagged("#Bali", at_most=1001) == 4
    assert await listings.count_public_posts_tagged("sunset", at_most=1001) == 1001
    now[0] += BIG_TAG_TTL_S - 1
    pool.counts["sunset"] = 10
    assert await listings.count_public_posts_tagged("sunset", at_most=1001) == 1001  # kept
    assert await listings.count_public_posts_tagged("sunset", at_most=5) == 5  # another bound
    now[0] += 1
    assert await listings.count_public_posts_tagged("sunset", at_most=1001) == 10  # read again
    assert pool.calls == ["bali", "bali", "sunset", "sunset", "sunset"]
