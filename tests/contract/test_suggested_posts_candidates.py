"""Which posts suggested posts score (DISC-2), on the fake and on PostgreSQL, with small bounds:
the window's most engaging posts, the viewer's newest tagged posts and the newest of each of
their authors; a post outside the three never shows, even when its score would place it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from social.adapters.postgres.listings import AsyncpgListings
from social.domain.discovery.suggested_posts import CandidateBounds
from social.domain.shared.pagination import Page, PageRequest
from tests.contract.stores import Backend, postgres_backend, users
from tests.contract.test_interaction_store import NOW, posts
from tests.contract.test_suggested_posts_listing import share
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork
from tests.fakes.feed import InMemoryFeedSource
from tests.fakes.reads import InMemoryContentSource, InMemoryListings, InMemoryViewerOverlay

SMALL = CandidateBounds(hot_pool=2, tagged=1, per_author=1)
SINCE = NOW - timedelta(days=1)


@pytest.fixture(params=["fake", "postgres"])
def bounded(request: pytest.FixtureRequest) -> Backend:
    """A backend whose listings score at most ``SMALL`` candidates of each kind."""
    if request.param == "fake":
        store = AccountsStore()
        return Backend(
            lambda: InMemoryUnitOfWork(store),
            InMemoryFeedSource(store),
            InMemoryViewerOverlay(store),
            InMemoryContentSource(store),
            InMemoryListings(store, suggestion_bounds=SMALL),
        )
    pool = request.getfixturevalue("read_pool")
    made = postgres_backend(request.getfixturevalue("database"), pool)
    return replace(made, listings=AsyncpgListings(pool, planned=pool, suggestion_bounds=SMALL))


async def test_only_candidates_are_scored(bounded: Backend) -> None:
    backend = bounded
    vic, neo, ann, sue, lee, *fans = await users(
        backend, "vic", "neo", "ann", "sue", "lee", "f0", "f1"
    )
    at = [NOW - timedelta(hours=h) for h in range(6, 0, -1)]  # oldest first
    hot, warm, lukewarm = await posts(backend, ann, at[0], at[0], at[0])
    sea_old, sea_new = await posts(backend, sue, at[1], at[2], tags=("sea",))
    _lee_old, lee_new = await posts(backend, lee, at[3], at[4])
    (lee_liked,) = await posts(backend, lee, SINCE - timedelta(days=1))  # lee is vic's author
    await posts(backend, vic, at[5], tags=("sea",))  # #sea is vic's tag
    async with backend.uow() as uow:
        await uow.interactions.add_like(lee_liked.id, vic.id, NOW)
        await uow.interactions.add_like(warm.id, fans[1].id, NOW)
        for fan in fans:
            await uow.interactions.add_like(sea_old.id, fan.id, NOW)
        await uow.commit()
    await share(backend, hot, *fans)  # 6
    await share(backend, warm, fans[0])  # 3 + 1: the pool's last, so E = 4
    await share(backend, lukewarm, fans[0])  # 3: outside the pool

    found = await backend.listings.suggested_posts(vic.id, SINCE, PageRequest(limit=100))
    # unbounded: hot 7, sea_old (2+1)·2 = 6, warm 5, lukewarm 4, lee_new and lee_old 3, sea_new 2
    # scored: the pool (hot, warm), the newest #sea post (sea_new), lee's newest (lee_new)
    assert found == Page([hot.id, warm.id, lee_new.id, sea_new.id], None)
    cold = await backend.listings.suggested_posts(neo.id, SINCE, PageRequest(limit=100))
    assert cold == Page([hot.id, warm.id], None)  # no tags, no authors: the pool alone
    later = await backend.listings.suggested_posts(vic.id, at[3], PageRequest(limit=100))
    assert later == Page([lee_new.id], None)  # that window: lee_new and vic's own post
