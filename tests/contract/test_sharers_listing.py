"""Who shares a post (fake and PostgreSQL): most recent share first, ties by row, paged by the
cursor without repeats or gaps; a share taken back leaves the list; one person's share of a post
is found by the pair."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from social.domain.interactions.model import Share
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Page, PageRequest
from tests.contract.stores import Backend, backend, users
from tests.contract.test_interaction_store import posts, walk

__all__ = ["backend"]

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
SECOND = timedelta(seconds=1)


async def test_sharers_walk_newest_first_ties_by_row(backend: Backend) -> None:
    star, *fans = await users(backend, "star", *(f"fan{i}" for i in range(7)))
    target, other = await posts(backend, star, NOW, NOW)
    async with backend.uow() as uow:
        for i, fan in enumerate(fans):  # pairs share a time: the later row comes first
            await uow.interactions.add_share(
                Share(new_id(), target.id, fan.id, NOW + (i // 2) * SECOND)
            )
        await uow.interactions.add_share(Share(new_id(), other.id, fans[0].id, NOW))
        await uow.commit()
    sharers = await walk(backend, lambda uow, page: backend.listings.sharers(target.id, page))
    assert sharers == [fan.id for fan in reversed(fans)]
    assert await backend.listings.sharers(other.id, PageRequest()) == Page([fans[0].id], None)

    async with backend.uow() as uow:
        assert await uow.interactions.remove_share(other.id, fans[0].id) is not None
        await uow.commit()
    assert await backend.listings.sharers(other.id, PageRequest()) == Page([], None)
    assert await backend.listings.sharers(new_id(), PageRequest()) == Page([], None)


async def test_a_share_is_found_by_post_and_sharer(backend: Backend) -> None:
    star, fan, other = await users(backend, "star", "fan", "other")
    (post,) = await posts(backend, star, NOW)
    share = Share(new_id(), post.id, fan.id, NOW)
    async with backend.uow() as uow:
        assert await uow.interactions.share_of(post.id, fan.id) is None
        assert await uow.interactions.add_share(share)
        assert not await uow.interactions.add_share(Share(new_id(), post.id, fan.id, NOW))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.interactions.share_of(post.id, fan.id) == share
        assert await uow.interactions.share_of(post.id, other.id) is None
        assert await uow.interactions.remove_share(post.id, fan.id) == share
        assert await uow.interactions.share_of(post.id, fan.id) is None
        await uow.commit()
