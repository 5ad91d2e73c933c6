"""The hot pool of explore and suggested posts (DISC-2) is read once a minute per process, not
once a page: kept while young and for windows starting near the one it was read for, read again
after; explore's pages come from it in its order, and from the table past a full pool's end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from social.adapters.postgres.listings import explore_page
from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.suggested_posts import HOT_POOL, HOT_POOL_TTL_S, HotPool, RankedPool
from social.domain.discovery.suggested_posts import CandidateBounds
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Page, PageRequest, RankCursor

SINCE = datetime(2026, 3, 1, tzinfo=UTC)


class CountingPool(ReadPool):
    """Answers the hot pool's statement with new ids each time, and counts the calls."""

    def __init__(self) -> None:
        super().__init__("postgresql://nowhere/none", size=1, acquire_timeout_s=1)
        self.calls: list[tuple[object, ...]] = []

    async def fetch(self, sql: str, *args: object) -> Sequence[Any]:
        assert sql == HOT_POOL
        self.calls.append(args)
        return [(new_id(), 1)]


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


def pool_of(ranks: list[int], *, full: bool) -> RankedPool:
    ranked = sorted(((rank, new_id()) for rank in ranks), reverse=True)
    return RankedPool(SINCE, ranked, full, 0.0)


def test_explore_pages_through_the_pool_in_its_order() -> None:
    hot = pool_of([5, 9, 9, 1, 0, 3, 9], full=False)
    seen: list[UUID] = []
    after: RankCursor | None = None
    while True:
        page = explore_page(hot, PageRequest(limit=2, after=after))
        assert page is not None
        seen += page.items
        if page.next_cursor is None:
            break
        after = page.next_cursor
        assert after == RankCursor(float(hot.ranked[len(seen) - 1][0]), seen[-1])
    assert seen == hot.ids  # ties by highest id, as the table's statement orders them


def test_a_cursor_between_pool_entries_starts_after_it() -> None:
    hot = pool_of([8, 6, 4, 2], full=False)
    forged = RankCursor(5.5, hot.ids[0])  # no pool entry has this rank: the next one below
    page = explore_page(hot, PageRequest(limit=10, after=forged))
    assert page == Page(hot.ids[2:], None)
    assert explore_page(hot, PageRequest(limit=10, after=RankCursor(-1.0, hot.ids[0]))) == Page(
        [], None
    )


def test_past_a_full_pool_the_table_is_read() -> None:
    hot = pool_of([8, 6, 4, 2], full=True)  # posts ranked below 2 exist outside the pool
    assert explore_page(hot, PageRequest(limit=3)) == Page(hot.ids[:3], RankCursor(4.0, hot.ids[2]))
    assert explore_page(hot, PageRequest(limit=4)) is None  # its 4th item may be outside
    # the pool's last post and nothing after it: whether more follow is the table's to say
    assert explore_page(hot, PageRequest(limit=1, after=RankCursor(4.0, hot.ids[2]))) is None
