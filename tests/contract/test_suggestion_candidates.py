"""The suggestion store's candidates, on the fake and on PostgreSQL: the three sources, their
bounds, and every exclusion applied to every source."""

from __future__ import annotations

from social.domain.accounts.model import User
from social.domain.discovery.account_suggestions import (
    CandidateBounds,
    Candidates,
    FollowedBy,
    PopularInTag,
    RecentlyActive,
)
from tests.contract.stores import Backend, users
from tests.contract.suggestion_graph import (
    at,
    block,
    candidates,
    follow,
    like,
    mute,
    post,
    request,
    suspend,
)


def friends(found: Candidates) -> list[FollowedBy]:
    return sorted(found.followed_by, key=lambda f: (-f.followees, f.candidate_id))


def popular(found: Candidates) -> list[PopularInTag]:
    return sorted(found.popular, key=lambda p: (p.tag, -p.popularity, p.candidate_id))


def active(found: Candidates) -> list[RecentlyActive]:
    return sorted(found.active, key=lambda a: (a.last_posted_at, a.candidate_id), reverse=True)


async def test_friends_of_friends_count_followees_and_name_the_latest_followed(
    backend: Backend,
) -> None:
    me, a, b, c, x, y, z = await users(backend, "me", "a", "b", "c", "x", "y", "z")
    await follow(backend, me, a, b, c)  # c is the most recently followed
    await follow(backend, a, x, y, me, b)  # me: the user; b: followed already
    await follow(backend, b, x)
    await follow(backend, c, x, z)
    assert friends(await candidates(backend, me)) == [
        FollowedBy(x.id, 3, "c"),
        FollowedBy(y.id, 1, "a"),
        FollowedBy(z.id, 1, "c"),
    ]


async def test_friends_of_friends_read_only_the_most_recent_follows(backend: Backend) -> None:
    me, a, b, c, w, x, y, z = await users(backend, "me", "a", "b", "c", "w", "x", "y", "z")
    await follow(backend, me, a, b, c)
    await follow(backend, a, x)  # a is not among the 2 most recently followed
    await follow(backend, b, y, w)  # only b's most recent follow (w) is read
    await follow(backend, c, z)
    bounds = CandidateBounds(followees_sampled=2, follows_per_followee=1, friends=1)
    assert friends(await candidates(backend, me, bounds)) == [FollowedBy(w.id, 1, "b")]
    bounds = CandidateBounds(followees_sampled=2, follows_per_followee=1)
    assert friends(await candidates(backend, me, bounds)) == [
        FollowedBy(w.id, 1, "b"),
        FollowedBy(z.id, 1, "c"),
    ]


async def test_tags_weigh_own_posts_twice_and_likes_once(backend: Backend) -> None:
    me, u1, u2, u3, u4 = await users(backend, "me", "u1", "u2", "u3", "u4")
    (hidden,) = await users(backend, "hidden", is_private=True)
    await post(backend, me, "alps", "bern")  # alps 2, bern 2 (+1 for the like below: 3)
    in_bern = await post(backend, u1, "bern", seconds=1)
    in_coast = await post(backend, u4, "coast", seconds=2)  # coast 1: not among 2 tags
    await like(backend, me, in_bern, in_coast)
    await like(backend, u2, in_bern)
    await post(backend, u2, "alps", seconds=3)
    await post(backend, u2, "alps", seconds=4)
    await post(backend, u3, "alps", seconds=5)
    await post(backend, hidden, "alps", "bern", seconds=6)  # private: never counted
    found = await candidates(backend, me, CandidateBounds(tags=2))
    assert popular(found) == [
        PopularInTag(u2.id, "alps", 2, posts=2),
        PopularInTag(u3.id, "alps", 2, posts=1),
        PopularInTag(u1.id, "bern", 3, posts=1, likes=2),
    ]
    assert popular(await candidates(backend, me, CandidateBounds(tags=2, posts_per_tag=1))) == [
        PopularInTag(u3.id, "alps", 2, posts=1),  # alps' newest public post
        PopularInTag(u1.id, "bern", 3, posts=1, likes=2),
    ]
    bounds = CandidateBounds(tags=1, per_tag=1)
    assert popular(await candidates(backend, me, bounds)) == [
        PopularInTag(u1.id, "bern", 3, posts=1, likes=2)
    ]


async def test_recently_active_public_accounts_latest_first(backend: Backend) -> None:
    me, u1, u2 = await users(backend, "me", "u1", "u2")
    (hidden,) = await users(backend, "hidden", is_private=True)
    await post(backend, u1, seconds=1)
    await post(backend, u2, seconds=2)
    await post(backend, u2, seconds=5)
    await post(backend, hidden, seconds=6)
    await post(backend, me, seconds=7)
    assert active(await candidates(backend, me)) == [
        RecentlyActive(u2.id, at(5)),
        RecentlyActive(u1.id, at(1)),
    ]
    bounds = CandidateBounds(recent_posts=3)  # me, hidden and u2 at 5
    assert active(await candidates(backend, me, bounds)) == [RecentlyActive(u2.id, at(5))]
    bounds = CandidateBounds(active=1)
    assert active(await candidates(backend, me, bounds)) == [RecentlyActive(u2.id, at(5))]


async def excluded_world(backend: Backend) -> tuple[User, User, list[User]]:
    """``me`` (who posts in #sunset) and ``friend`` (followed); every other account is followed
    by the friend and posts in #sunset, so each source offers it unless excluded: only ``ok``
    is allowed. Returns (me, ok, the excluded)."""
    names = "me friend ok followed requested blocking blocked muting muted suspended dismissed"
    me, friend, ok, *excluded = await users(backend, *names.split())
    followed, requested, blocking, blocked, muting, muted, suspended, dismissed = excluded
    await follow(backend, me, friend, followed)
    await follow(backend, friend, me, ok, *excluded)
    await post(backend, me, "sunset")
    for n, account in enumerate([ok, *excluded], start=1):
        await post(backend, account, "sunset", seconds=n)
    await request(backend, me, requested)
    await block(backend, blocking, me)
    await block(backend, me, blocked)
    await mute(backend, muting, me)
    await mute(backend, me, muted)
    await suspend(backend, suspended)
    async with backend.uow() as uow:
        await uow.suggestions.dismiss(me.id, dismissed.id, at(0))
        await uow.commit()
    return me, ok, excluded


async def test_every_exclusion_applies_to_every_source(backend: Backend) -> None:
    me, ok, _ = await excluded_world(backend)
    found = await candidates(backend, me)
    assert friends(found) == [FollowedBy(ok.id, 1, "friend")]
    assert popular(found) == [PopularInTag(ok.id, "sunset", 2, posts=1)]
    assert [a.candidate_id for a in active(found)] == [ok.id]


async def test_nothing_to_go_on_offers_nothing(backend: Backend) -> None:
    (me,) = await users(backend, "me")
    assert await candidates(backend, me) == Candidates([], [], [])
