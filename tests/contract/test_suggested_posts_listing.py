"""Suggested posts (DISC-2) on the fake and on PostgreSQL: ranked by engagement times the
viewer's affinity (their tags and authors), paged by (score, id) without repeats, and never the
viewer's own posts, their home feed's (followees' posts and shares), posts they liked or
shared, blocked or muted authors either way, private or suspended authors, or old posts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from uuid import UUID

from social.domain.accounts.model import AccountStatus, User
from social.domain.graph.model import Follow
from social.domain.interactions.model import Share
from social.domain.posts.model import Post
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Page, PageRequest, RankCursor
from tests.contract.stores import Backend, backend, users
from tests.contract.test_interaction_store import NOW, a_comment, posts

__all__ = ["backend"]

SINCE = NOW - timedelta(days=1)
RECENT = NOW - timedelta(hours=1)
MY_TAGS = ("sea", "sun", "sand", "surf")


@dataclass
class World:
    vic: User
    neo: User
    ranked: list[tuple[Post, int]]
    """Every post vic should get, with its score, in the order expected."""
    engagement: dict[UUID, int]
    """Every recent post of a public, active author: its engagement."""


async def share(backend: Backend, post: Post, *sharers: User) -> None:
    async with backend.uow() as uow:
        for sharer in sharers:
            await uow.interactions.add_share(Share(new_id(), post.id, sharer.id, NOW))
        await uow.commit()


async def world(backend: Backend) -> World:
    vic, neo, ann, ben, cat, lee, fay, bob, bea, max_, mia, *fans = await users(
        backend, "vic", "neo", "ann", "ben", "cat", "lee", "fay", "bob", "bea", "max", "mia",
        "fan0", "fan1", "fan2",
    )  # fmt: skip
    (pat,) = await users(backend, "pat", is_private=True)
    (sam,) = await users(backend, "sam", status=AccountStatus.SUSPENDED)
    ann_hot, stuffed, ann_plain, ann_shared_by_vic = await posts(backend, ann, *[RECENT] * 4)
    stuffed = await retag(backend, stuffed, (*MY_TAGS, "hike"))
    (ann_old,) = await posts(backend, ann, SINCE)  # at ``since`` is not after it
    cat_sea, cat_plain, cat_shared_by_fay = await posts(backend, cat, *[RECENT] * 3)
    cat_sea = await retag(backend, cat_sea, ("sea",))
    (ben_post,) = await posts(backend, ben, RECENT)
    (ben_old,) = await posts(backend, ben, SINCE - timedelta(days=1))
    lee_other, lee_liked = await posts(backend, lee, RECENT, RECENT, tags=("hike",))
    (vic_own,) = await posts(backend, vic, RECENT, tags=MY_TAGS)
    hidden = [(await posts(backend, who, RECENT))[0] for who in (fay, bob, bea, max_, mia)]
    private_or_suspended = [(await posts(backend, who, RECENT))[0] for who in (pat, sam)]
    async with backend.uow() as uow:
        await uow.graph.add_follow(Follow(new_id(), vic.id, fay.id, NOW))
        await uow.graph.add_block(vic.id, bob.id, NOW)
        await uow.graph.add_block(bea.id, vic.id, NOW)
        await uow.graph.add_mute(vic.id, max_.id, NOW)
        await uow.graph.add_mute(mia.id, vic.id, NOW)
        await uow.interactions.add_like(lee_liked.id, vic.id, NOW)  # lee and #hike are vic's
        await uow.comments.add(a_comment(ben_old, vic, NOW))  # ben is vic's
        await uow.interactions.add_like(cat_sea.id, fans[0].id, NOW)  # 1 + 3 = 4
        await uow.interactions.add_like(ben_post.id, fans[0].id, NOW)  # 1
        await uow.commit()
    await share(backend, ann_hot, fans[0], fans[1])  # 6
    await share(backend, cat_sea, fans[1])
    await share(backend, cat_shared_by_fay, fay)  # in vic's home feed: fay shared it
    await share(backend, ann_shared_by_vic, vic)
    excluded = [vic_own, cat_shared_by_fay, lee_liked, ann_shared_by_vic, ann_old, *hidden]
    for post in [*excluded, *private_or_suspended]:  # each would top the list if shown
        await share(backend, post, *fans)
    ties_of_4 = sorted([lee_other, stuffed], key=lambda p: p.id, reverse=True)
    ties_of_1 = sorted([ann_plain, cat_plain], key=lambda p: p.id, reverse=True)
    ranked = [
        (cat_sea, 10),  # (4 + 1) · (1 + #sea): beats the more engaging ann_hot
        (ann_hot, 7),  # (6 + 1) · 1
        (ben_post, 6),  # (1 + 1) · (1 + 2: vic commented on ben)
        *((post, 4) for post in ties_of_4),  # lee (2) + #hike (1); five tags, three counted
        *((post, 1) for post in ties_of_1),
    ]
    engagement = {post.id: 9 for post in [vic_own, *hidden]}  # three shares
    engagement |= {cat_shared_by_fay.id: 12, ann_shared_by_vic.id: 12, lee_liked.id: 10}
    engagement |= {cat_sea.id: 4, ann_hot.id: 6, ben_post.id: 1}
    engagement |= dict.fromkeys([lee_other.id, stuffed.id, ann_plain.id, cat_plain.id], 0)
    return World(vic, neo, ranked, engagement)


async def retag(backend: Backend, post: Post, tags: tuple[str, ...]) -> Post:
    changed = replace(post, tags=tags)
    async with backend.uow() as uow:
        await uow.posts.update(changed)
        await uow.commit()
    return changed


async def test_suggested_posts_rank_by_engagement_and_affinity(backend: Backend) -> None:
    w = await world(backend)
    expected = [post.id for post, _ in w.ranked]
    seen: list[UUID] = []
    after: RankCursor | None = None
    for _ in range(10):
        page = await backend.listings.suggested_posts(
            w.vic.id, SINCE, PageRequest(limit=2, after=after)
        )
        seen += page.items
        if page.next_cursor is None:
            break
        assert page.next_cursor == RankCursor(float(w.ranked[len(seen) - 1][1]), seen[-1])
        after = page.next_cursor
    assert seen == expected
    everything = await backend.listings.suggested_posts(w.vic.id, SINCE, PageRequest(limit=100))
    assert everything == Page(expected, None)
    later = await backend.listings.suggested_posts(w.vic.id, NOW, PageRequest())
    assert later == Page([], None)


async def test_without_history_posts_rank_by_engagement_alone(backend: Backend) -> None:
    """Neo follows, likes and blocks nobody: every recent post of a public, active account,
    by engagement (+ 1) alone; what vic did not get is vic's alone."""
    w = await world(backend)
    found = await backend.listings.suggested_posts(w.neo.id, SINCE, PageRequest(limit=100))
    by_rank = sorted(((e + 1, i) for i, e in w.engagement.items()), reverse=True)
    assert found == Page([i for _, i in by_rank], None)
