"""One suite for likes, shares, bookmarks, comments, the feed's database view and the post
listings, on the fake and on PostgreSQL; plus the concurrency proof that post counters equal
the rows they count."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.adapters.postgres.listings import AsyncpgListings
from social.adapters.postgres.read_pool import ReadPool
from social.bootstrap import AppUnitOfWork
from social.domain.accounts.model import AccountStatus, User
from social.domain.discovery.suggested_posts import CandidateBounds
from social.domain.feed.model import FeedEntry, FeedItemKind, newest_first
from social.domain.graph.model import Follow
from social.domain.interactions.model import Share
from social.domain.posts.model import Post, PostCounters
from social.domain.reads.model import Comment, ViewerFlags
from social.domain.shared.errors import Invalid
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor
from tests.contract.stores import Backend, postgres_backend, users

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
SECOND = timedelta(seconds=1)
ACTIONS = ["like", "unlike", "share", "unshare", "comment", "reply", "delete"]
T = TypeVar("T")
SMALL_POOL = CandidateBounds(hot_pool=3)


async def posts(backend: Backend, author: User, *ats: datetime, **changes: Any) -> list[Post]:
    """One post (without media) per time, added in the order given."""
    blank = Post(new_id(), author.id, "", (), (), (), NOW)
    made = [replace(blank, id=new_id(), created_at=at, **changes) for at in ats]
    async with backend.uow() as uow:
        for post in made:
            await uow.posts.add(post)
        await uow.commit()
    return made


def a_comment(post: Post, author: User, at: datetime, parent: Comment | None = None) -> Comment:
    parent_id = None if parent is None else parent.id
    return Comment(new_id(), post.id, author.id, f"by {author.username}", at, parent_id)


async def add_comments(backend: Backend, *comments: Comment) -> None:
    async with backend.uow() as uow:
        for comment in comments:
            await uow.comments.add(comment)
        await uow.commit()


async def counters(backend: Backend, post: Post) -> PostCounters:
    async with backend.uow() as uow:
        return await uow.posts.counters(post.id)


async def flags(backend: Backend, user: User, ids: list[UUID]) -> dict[UUID, ViewerFlags]:
    """The user's flags on the posts among ``ids`` that exist, as the read model sees them
    (only the ones that are set)."""
    seen = await backend.overlay.overlay(user.id, post_ids=ids)
    return {i: seen.flags[i] for i in ids if i in seen.flags}


async def standing(backend: Backend, share_ids: list[UUID]) -> set[UUID]:
    """Which of these shares still stand, as the read model sees them."""
    return set((await backend.overlay.overlay(None, share_ids=share_ids)).shares)


async def replies_count(backend: Backend, comment: Comment) -> int | None:
    async with backend.uow() as uow:
        current = await uow.comments.get(comment.id)
    return None if current is None else current.replies_count


async def walk(
    backend: Backend,
    read: Callable[[AppUnitOfWork, PageRequest[Cursor]], Awaitable[Page[T, Cursor]]],
    limit: int = 2,
) -> list[T]:
    """Every item of a listing, page by page (each in its own transaction), by the cursor."""
    seen: list[T] = []
    after: Cursor | None = None
    for _ in range(100):
        async with backend.uow() as uow:
            page = await read(uow, PageRequest(limit=limit, after=after))
        seen += page.items
        if page.next_cursor is None:
            assert len(page.items) <= limit
            return seen
        assert len(page.items) == limit and isinstance(page.next_cursor, Cursor)
        after = page.next_cursor
    raise AssertionError("the listing never ended")


def post_entry(post: Post) -> FeedEntry:
    return FeedEntry(
        post.id, FeedItemKind.POST, post.id, post.author_id, post.author_id, post.created_at
    )


def share_entry(share: Share, post: Post) -> FeedEntry:
    return FeedEntry(
        share.id, FeedItemKind.SHARE, post.id, share.user_id, post.author_id, share.created_at
    )


async def test_likes_shares_and_bookmarks_are_idempotent_and_count_once(
    backend: Backend,
) -> None:
    alice, bob = await users(backend, "alice", "bob")
    (post,) = await posts(backend, alice, NOW)
    share = Share(new_id(), post.id, bob.id, NOW)
    async with backend.uow() as uow:
        assert await uow.interactions.add_like(post.id, bob.id, NOW)
        assert not await uow.interactions.add_like(post.id, bob.id, NOW + SECOND)
        assert await uow.interactions.add_share(share)
        assert not await uow.interactions.add_share(Share(new_id(), post.id, bob.id, NOW))
        assert await uow.interactions.add_bookmark(post.id, bob.id, NOW)
        assert not await uow.interactions.add_bookmark(post.id, bob.id, NOW)
        assert await uow.posts.counters(post.id) == PostCounters(likes=1, shares=1)
        await uow.commit()
    async with backend.uow() as uow:
        assert not await uow.interactions.add_like(post.id, bob.id, NOW)
        assert not await uow.interactions.add_share(Share(new_id(), post.id, bob.id, NOW))
        assert not await uow.interactions.add_bookmark(post.id, bob.id, NOW)
        assert await uow.interactions.add_like(post.id, alice.id, NOW)
        await uow.commit()
    assert await counters(backend, post) == PostCounters(likes=2, shares=1)
    async with backend.uow() as uow:
        assert await uow.interactions.get_share(share.id) == share
        assert await standing(backend, [share.id, new_id()]) == {share.id}
        assert await uow.interactions.remove_like(post.id, bob.id)
        assert not await uow.interactions.remove_like(post.id, bob.id)
        assert await uow.interactions.remove_share(post.id, bob.id) == share
        assert await uow.interactions.remove_share(post.id, bob.id) is None
        assert await uow.interactions.remove_bookmark(post.id, bob.id)
        assert not await uow.interactions.remove_bookmark(post.id, bob.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert not await uow.interactions.remove_like(post.id, bob.id)
        assert await uow.interactions.remove_share(post.id, bob.id) is None
        assert not await uow.interactions.remove_bookmark(post.id, bob.id)
        assert await uow.interactions.get_share(share.id) is None
        assert await standing(backend, [share.id]) == set()
        assert await standing(backend, []) == set()
        assert await backend.listings.likers(post.id, PageRequest()) == Page([alice.id], None)
        assert await backend.listings.bookmarked_posts(bob.id, PageRequest()) == Page([], None)
    assert await counters(backend, post) == PostCounters(likes=1)


async def test_likers_and_bookmarks_walk_newest_first_ties_by_row(backend: Backend) -> None:
    star, saver, *fans = await users(backend, "star", "saver", *(f"fan{i}" for i in range(7)))
    target, other, *saved = await posts(backend, star, *[NOW] * 9)
    rng = random.Random(3)
    rng.shuffle(saved)
    async with backend.uow() as uow:
        for i, fan in enumerate(fans):  # pairs share a time: the later row comes first
            await uow.interactions.add_like(target.id, fan.id, NOW + (i // 2) * SECOND)
            await uow.interactions.add_like(other.id, fan.id, NOW)
            await uow.interactions.add_bookmark(saved[i].id, saver.id, NOW + (i // 2) * SECOND)
            await uow.interactions.add_bookmark(other.id, fan.id, NOW)
        await uow.commit()
    likers = await walk(backend, lambda uow, page: backend.listings.likers(target.id, page))
    assert likers == [fan.id for fan in reversed(fans)]
    saves = await walk(backend, lambda uow, page: backend.listings.bookmarked_posts(saver.id, page))
    assert saves == [post.id for post in reversed(saved)]
    assert await backend.listings.likers(saved[0].id, PageRequest()) == Page([], None)
    assert await backend.listings.bookmarked_posts(star.id, PageRequest()) == Page([], None)
    async with backend.uow() as uow:  # the saver likes what it saved, in the same order
        for i, post in enumerate(saved[: len(fans)]):
            await uow.interactions.add_like(post.id, saver.id, NOW + (i // 2) * SECOND)
        await uow.commit()
    liked = await walk(backend, lambda uow, page: backend.listings.liked_posts(saver.id, page))
    assert liked == [post.id for post in reversed(saved[: len(fans)])]
    assert await backend.listings.liked_posts(star.id, PageRequest()) == Page([], None)


async def test_remove_all_by_uncounts_every_edge_of_the_account(backend: Backend) -> None:
    alice, gone, bob = await users(backend, "alice", "gone", "bob")
    first, second = await posts(backend, alice, NOW, NOW)
    (own,) = await posts(backend, gone, NOW)
    async with backend.uow() as uow:
        for post in (first, second, own):
            await uow.interactions.add_like(post.id, gone.id, NOW)
            await uow.interactions.add_bookmark(post.id, gone.id, NOW)
        for post in (first, own):
            await uow.interactions.add_share(Share(new_id(), post.id, gone.id, NOW))
        await uow.interactions.add_like(first.id, bob.id, NOW)
        await uow.interactions.add_share(Share(new_id(), first.id, bob.id, NOW))
        await uow.interactions.add_bookmark(second.id, bob.id, NOW)
        await uow.commit()
    assert await counters(backend, first) == PostCounters(likes=2, shares=2)
    for _ in range(2):
        async with backend.uow() as uow:
            await uow.interactions.remove_all_by(gone.id)
            await uow.commit()
    assert await counters(backend, first) == PostCounters(likes=1, shares=1)
    assert await counters(backend, second) == await counters(backend, own) == PostCounters()
    ids = [first.id, second.id, own.id]
    assert await flags(backend, gone, ids) == {}
    assert await flags(backend, bob, ids) == {
        first.id: ViewerFlags(liked=True, shared=True),
        second.id: ViewerFlags(bookmarked=True),
    }
    assert await backend.listings.bookmarked_posts(gone.id, PageRequest()) == Page([], None)
    assert await backend.listings.bookmarked_posts(bob.id, PageRequest()) == Page([second.id], None)
    assert await backend.listings.likers(first.id, PageRequest()) == Page([bob.id], None)


async def test_comments_count_on_the_post_and_on_the_parent(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    post, other = await posts(backend, alice, NOW, NOW)
    top = a_comment(post, bob, NOW)
    quiet = a_comment(post, alice, NOW + SECOND)
    replies = [a_comment(post, who, NOW + 2 * SECOND, top) for who in (alice, bob)]
    await add_comments(backend, replace(top, replies_count=9), quiet, *replies)
    assert await counters(backend, post) == PostCounters(comments=4)
    assert await counters(backend, other) == PostCounters()
    async with backend.uow() as uow:
        assert await uow.comments.get(top.id) == replace(top, replies_count=2)
        assert await uow.comments.get(quiet.id) == quiet
        assert await uow.comments.get(replies[0].id) == replies[0]
        assert await uow.comments.get(new_id()) is None


async def test_threads_walk_oldest_first_with_replies_under_their_parent(
    backend: Backend,
) -> None:
    alice, bob = await users(backend, "alice", "bob")
    post, other = await posts(backend, alice, NOW, NOW)
    tops = [a_comment(post, bob, NOW + (i // 2) * SECOND) for i in range(7)]
    replies = [a_comment(post, alice, NOW + (i // 3) * SECOND, tops[0]) for i in range(5)]
    lone = a_comment(post, bob, NOW, tops[1])
    elsewhere = a_comment(other, bob, NOW)
    rng = random.Random(5)  # ids were taken in order: ties go by id, not by insertion
    parents, children = [*tops, elsewhere], [*replies, lone]
    rng.shuffle(parents)
    rng.shuffle(children)
    await add_comments(backend, *parents, *children)

    def thread(parent: Comment | None) -> Callable[[AppUnitOfWork, PageRequest[Cursor]], Any]:
        parent_id = None if parent is None else parent.id
        return lambda uow, page: backend.listings.comments(post.id, parent_id, page)

    top_level = await walk(backend, thread(None))
    assert [c.id for c in top_level] == [c.id for c in tops]
    assert top_level[0] == replace(tops[0], replies_count=5)
    assert top_level[1] == replace(tops[1], replies_count=1)
    assert top_level[2:] == tops[2:]
    assert await walk(backend, thread(tops[0])) == replies
    assert await walk(backend, thread(tops[1])) == [lone]
    assert await walk(backend, thread(tops[2])) == []
    assert (await backend.listings.comments(other.id, None, PageRequest())).items == [elsewhere]
    assert (await backend.listings.comments(new_id(), None, PageRequest())).items == []
    wanted = [top_level[0].id, lone.id, new_id(), elsewhere.id]
    assert await backend.listings.comments_by_id(wanted) == {
        top_level[0].id: top_level[0],
        lone.id: lone,
        elsewhere.id: elsewhere,
    }
    assert await backend.listings.comments_by_id([]) == {}


async def test_deleting_a_comment_takes_its_replies_and_fixes_counters(
    backend: Backend,
) -> None:
    alice, bob = await users(backend, "alice", "bob")
    (post,) = await posts(backend, alice, NOW)
    first, second = a_comment(post, bob, NOW), a_comment(post, alice, NOW)
    first_replies = [a_comment(post, alice, NOW, first) for _ in range(3)]
    second_replies = [a_comment(post, bob, NOW, second) for _ in range(2)]
    await add_comments(backend, first, second, *first_replies, *second_replies)
    assert await counters(backend, post) == PostCounters(comments=7)
    async with backend.uow() as uow:
        assert await uow.comments.delete(first.id) == 4
        assert await uow.comments.delete(first.id) == 0
        assert await uow.comments.delete(second_replies[0].id) == 1
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.comments.delete(first.id) == 0
        assert await uow.comments.delete(new_id()) == 0
        for gone in (first, *first_replies, second_replies[0]):
            assert await uow.comments.get(gone.id) is None
        assert (await backend.listings.comments(post.id, None, PageRequest())).items == [
            replace(second, replies_count=1)
        ]
    assert await counters(backend, post) == PostCounters(comments=2)
    assert await replies_count(backend, second) == 1


async def test_remove_all_comments_by_an_account(backend: Backend) -> None:
    gone, bob, carol = await users(backend, "gone", "bob", "carol")
    bobs, carols = await posts(backend, bob, NOW), await posts(backend, carol, NOW)
    post, other = bobs[0], carols[0]
    mine = a_comment(post, gone, NOW)
    under_mine = [a_comment(post, who, NOW, mine) for who in (bob, carol, gone)]
    bob_top = a_comment(post, bob, NOW)
    under_bob = [a_comment(post, gone, NOW, bob_top), a_comment(post, carol, NOW, bob_top)]
    carol_top = a_comment(other, carol, NOW)
    under_carol = [a_comment(other, gone, NOW, carol_top), a_comment(other, gone, NOW, carol_top)]
    mine_elsewhere, bob_elsewhere = a_comment(other, gone, NOW), a_comment(other, bob, NOW)
    await add_comments(
        backend,
        *[mine, *under_mine, bob_top, *under_bob],
        *[carol_top, *under_carol, mine_elsewhere, bob_elsewhere],
    )
    assert await counters(backend, post) == PostCounters(comments=7)
    assert await counters(backend, other) == PostCounters(comments=5)
    for _ in range(2):
        async with backend.uow() as uow:
            await uow.comments.remove_all_by(gone.id)
            await uow.commit()
    assert await counters(backend, post) == PostCounters(comments=2)
    assert await counters(backend, other) == PostCounters(comments=2)
    assert await replies_count(backend, bob_top) == 1
    assert await replies_count(backend, carol_top) == 0
    async with backend.uow() as uow:
        for removed in (mine, *under_mine, under_bob[0], *under_carol, mine_elsewhere):
            assert await uow.comments.get(removed.id) is None
        assert (await backend.listings.comments(post.id, bob_top.id, PageRequest())).items == [
            under_bob[1]
        ]
        assert await uow.comments.get(bob_elsewhere.id) == bob_elsewhere


async def test_deleting_a_post_removes_everything_done_with_it(backend: Backend) -> None:
    alice, bob, carol = await users(backend, "alice", "bob", "carol")
    post, kept = await posts(backend, alice, NOW, NOW)
    share, kept_share = Share(new_id(), post.id, bob.id, NOW), Share(new_id(), kept.id, bob.id, NOW)
    top = a_comment(post, bob, NOW)
    reply = a_comment(post, carol, NOW, top)
    async with backend.uow() as uow:
        for target in (post, kept):
            await uow.interactions.add_like(target.id, bob.id, NOW)
            await uow.interactions.add_bookmark(target.id, bob.id, NOW)
        await uow.interactions.add_like(post.id, carol.id, NOW)
        await uow.interactions.add_bookmark(post.id, carol.id, NOW)
        await uow.interactions.add_share(share)
        await uow.interactions.add_share(kept_share)
        await uow.comments.add(top)
        await uow.comments.add(reply)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.posts.delete(post.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await backend.listings.likers(post.id, PageRequest()) == Page([], None)
        assert await backend.listings.bookmarked_posts(bob.id, PageRequest()) == Page(
            [kept.id], None
        )
        assert await backend.listings.bookmarked_posts(carol.id, PageRequest()) == Page([], None)
        assert await uow.interactions.get_share(share.id) is None
        assert await standing(backend, [share.id, kept_share.id]) == {kept_share.id}
        assert await flags(backend, bob, [post.id, kept.id]) == {  # the deleted one is gone
            kept.id: ViewerFlags(liked=True, bookmarked=True, shared=True),
        }
        assert await uow.comments.get(top.id) is None
        assert await uow.comments.get(reply.id) is None
        assert (await backend.listings.comments(post.id, None, PageRequest())).items == []
        assert await backend.feed_source.share_entry(share.id) is None
        assert await backend.feed_source.by_actors([bob.id], None, 10) == [
            share_entry(kept_share, kept)
        ]
        assert await uow.posts.counters(post.id) == PostCounters()
        assert not await uow.interactions.remove_like(post.id, bob.id)
        assert await uow.interactions.remove_share(post.id, bob.id) is None
        assert not await uow.interactions.remove_bookmark(post.id, bob.id)
        await uow.interactions.remove_all_by(bob.id)
        await uow.comments.remove_all_by(bob.id)
        await uow.commit()
    assert await counters(backend, kept) == PostCounters()


async def test_timeline_merges_posts_and_shares_newest_first(backend: Backend) -> None:
    me, friend, other, stranger = await users(backend, "me", "friend", "other", "stranger")
    hour = timedelta(hours=1)
    friend_posts = await posts(backend, friend, NOW - hour, NOW - 3 * hour)
    other_posts = await posts(backend, other, NOW - 2 * hour, NOW - 2 * hour)
    strangers = await posts(backend, stranger, NOW - hour / 2)
    mine = await posts(backend, me, NOW - 4 * hour)
    shares = [
        (Share(new_id(), strangers[0].id, friend.id, NOW - hour / 6), strangers[0]),
        (Share(new_id(), friend_posts[0].id, stranger.id, NOW - hour / 12), friend_posts[0]),
        (Share(new_id(), other_posts[0].id, me.id, NOW - 2 * hour), other_posts[0]),  # a tie
        (Share(new_id(), mine[0].id, other.id, NOW - 5 * hour), mine[0]),
    ]
    async with backend.uow() as uow:
        for followee in (friend, other):
            await uow.graph.add_follow(Follow(new_id(), me.id, followee.id, NOW))
        await uow.graph.add_follow(Follow(new_id(), stranger.id, me.id, NOW))
        for share, _ in shares:
            await uow.interactions.add_share(share)
        await uow.commit()
    expected = newest_first(
        [post_entry(p) for p in (*friend_posts, *other_posts, *mine)]
        + [share_entry(s, p) for s, p in shares if s.user_id != stranger.id]
    )
    assert len(expected) == 8
    assert await backend.feed_source.timeline(me.id, None, 100) == expected
    assert await backend.feed_source.timeline(me.id, None, 3) == expected[:3]
    assert await backend.feed_source.timeline(me.id, expected[2].cursor, 100) == expected[3:]
    assert await backend.feed_source.timeline(me.id, expected[4].cursor, 2) == expected[5:7]
    assert await backend.feed_source.timeline(me.id, expected[-1].cursor, 100) == []
    assert await backend.feed_source.timeline(stranger.id, None, 100) == newest_first(
        [
            post_entry(strangers[0]),
            share_entry(*shares[1]),
            post_entry(mine[0]),
            share_entry(*shares[2]),
        ]
    )
    assert await backend.feed_source.timeline(new_id(), None, 100) == []
    assert await backend.feed_source.by_actors([other.id, stranger.id], None, 100) == (
        newest_first(
            [post_entry(p) for p in (*other_posts, *strangers)]
            + [share_entry(s, p) for s, p in shares if s.user_id in (other.id, stranger.id)]
        )
    )
    assert await backend.feed_source.by_actors([friend.id], expected[0].cursor, 1) == [
        post_entry(friend_posts[0])
    ]
    assert await backend.feed_source.by_actors([], None, 100) == []


async def test_large_followees_and_follower_batches(backend: Backend) -> None:
    fan, big, mid, small, loner, *others = await users(
        backend, "fan", "big", "mid", "small", "loner", *(f"user{i}" for i in range(7))
    )
    async with backend.uow() as uow:
        for followee, followers in ((big, [fan, *others[:2]]), (mid, [fan, others[0]])):
            for follower in followers:
                await uow.graph.add_follow(Follow(new_id(), follower.id, followee.id, NOW))
        await uow.graph.add_follow(Follow(new_id(), fan.id, small.id, NOW))
        for follower in reversed(others):
            await uow.graph.add_follow(Follow(new_id(), follower.id, loner.id, NOW))
        await uow.commit()
    large = backend.feed_source.large_followees
    assert sorted(await large(fan.id, 0)) == sorted([big.id, mid.id, small.id])
    assert sorted(await large(fan.id, 1)) == sorted([big.id, mid.id])
    assert await large(fan.id, 2) == [big.id]
    assert await large(fan.id, 3) == []
    assert await large(loner.id, 0) == []
    batches: list[list[UUID]] = []
    after: UUID | None = None
    while batch := await backend.feed_source.followers_after(loner.id, after, 3):
        batches.append(batch)
        after = batch[-1]
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [i for b in batches for i in b] == sorted(o.id for o in others)
    assert await backend.feed_source.followers_after(small.id, None, 10) == [fan.id]
    assert await backend.feed_source.followers_after(fan.id, None, 10) == []


async def test_post_and_share_entries(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    (post,) = await posts(backend, alice, NOW - SECOND)
    share = Share(new_id(), post.id, bob.id, NOW)
    async with backend.uow() as uow:
        await uow.interactions.add_share(share)
        await uow.commit()
    async with backend.uow() as uow:
        assert await backend.feed_source.post_entry(post.id) == post_entry(post)
        assert await backend.feed_source.share_entry(share.id) == share_entry(share, post)
        assert await backend.feed_source.post_entry(new_id()) is None
        assert await backend.feed_source.share_entry(new_id()) is None
        assert await backend.feed_source.share_entry(post.id) is None
        await uow.interactions.remove_share(post.id, bob.id)
        await uow.commit()
    assert await backend.feed_source.share_entry(share.id) is None


async def test_counters_and_the_profile_grid(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    ats = [NOW + (i // 2) * SECOND for i in range(7)]
    grid = await posts(backend, alice, *ats)  # ids in order: ties go by id, newest first
    await posts(backend, bob, *ats[:3])
    async with backend.uow() as uow:
        assert await uow.posts.counters(new_id()) == PostCounters()
        assert await uow.posts.counters(grid[0].id) == PostCounters()
        for user in (alice, bob):
            await uow.interactions.add_like(grid[0].id, user.id, NOW)
        await uow.interactions.add_share(Share(new_id(), grid[0].id, bob.id, NOW))
        await uow.comments.add(a_comment(grid[0], bob, NOW))
        assert await uow.posts.counters(grid[0].id) == PostCounters(2, 1, 1)
        await uow.commit()
    assert await counters(backend, grid[0]) == PostCounters(likes=2, comments=1, shares=1)
    listed = await walk(backend, lambda uow, page: backend.listings.posts_by_author(alice.id, page))
    assert listed == [p.id for p in reversed(grid)]
    assert await backend.listings.posts_by_author(new_id(), PageRequest()) == Page([], None)


async def test_an_author_s_posts_by_tag(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    ats = [NOW + (i // 2) * SECOND for i in range(5)]
    cats = await posts(backend, alice, *ats, tags=("cats", "pets"))
    await posts(backend, alice, NOW, tags=("dogs",))
    await posts(backend, bob, NOW, tags=("cats",))

    def tagged(tag: str) -> Callable[[AppUnitOfWork, PageRequest[Cursor]], Any]:
        return lambda uow, page: backend.listings.posts_by_author_tagged(alice.id, tag, page)

    for query in ("cats", "#Cats ", "CATS"):
        assert await walk(backend, tagged(query)) == [p.id for p in reversed(cats)], query
    assert len(await walk(backend, tagged("pets"))) == 5
    for nothing in ("", "#", "cat", "birds"):
        page = await backend.listings.posts_by_author_tagged(alice.id, nothing, PageRequest())
        assert page == Page([], None), nothing


async def test_public_tagged_finds_public_active_authors_by_normalized_tag(
    backend: Backend,
) -> None:
    alice, bob = await users(backend, "alice", "bob")
    (pat,) = await users(backend, "pat", is_private=True)
    (sam,) = await users(backend, "sam", status=AccountStatus.SUSPENDED)
    (dan,) = await users(backend, "dan", status=AccountStatus.DELETED)
    ats = [NOW + (i // 2) * SECOND for i in range(5)]
    bali = await posts(backend, alice, *ats, tags=("bali", "beach"))
    (beach,) = await posts(backend, bob, NOW, tags=("beach",))
    await posts(backend, alice, NOW, tags=("balinese",), caption="#bali in the caption only")
    for hidden in (pat, sam, dan):
        await posts(backend, hidden, NOW + 9 * SECOND, tags=("bali",))

    def tagged(
        tag: str,
    ) -> Callable[[AppUnitOfWork, PageRequest[Cursor]], Awaitable[Page[UUID, Cursor]]]:
        return lambda uow, page: backend.listings.public_posts_tagged(tag, page)

    for query in ("#Bali ", "bali", "BALI"):
        found = await walk(backend, tagged(query))
        assert found == [p.id for p in reversed(bali)], query
    beaches = await backend.listings.public_posts_tagged("#beach", PageRequest())
    assert set(beaches.items) == {beach.id, *(p.id for p in bali)}
    for nothing in ("", "  ", "#", "bal", "sunset"):
        assert await backend.listings.public_posts_tagged(nothing, PageRequest()) == Page([], None)
        assert await backend.listings.count_public_posts_tagged(nothing, at_most=10) == 0
    # the count is of the same rows as the page, and stops at ``at_most``
    count = backend.listings.count_public_posts_tagged
    assert [await count("#Bali", at_most=10), await count("beach", at_most=10)] == [5, 6]
    assert [await count("bali", at_most=n) for n in (0, 1, 4, 5, 6)] == [0, 1, 4, 5, 5]


async def test_tag_pages_follow_a_post_s_tags_as_they_change_and_as_it_goes(
    backend: Backend,
) -> None:
    """Retagged, it leaves the old tag's page and joins the new one's in its place by time;
    deleted, it leaves every page. (In PostgreSQL the pages are read from ``post_tags``, which
    triggers keep: this proves no write path forgets them.)"""
    (alice,) = await users(backend, "alice")
    older, moved, newer = await posts(
        backend, alice, NOW, NOW + SECOND, NOW + 2 * SECOND, tags=("sea", "sun")
    )

    async def tagged(tag: str) -> list[UUID]:
        return (await backend.listings.public_posts_tagged(tag, PageRequest())).items

    async with backend.uow() as uow:
        await uow.posts.update(replace(moved, tags=("sun", "sand", "sand")))
        await uow.commit()
    assert await tagged("sea") == [newer.id, older.id]
    assert await tagged("sand") == [moved.id]
    assert await tagged("sun") == [newer.id, moved.id, older.id]
    async with backend.uow() as uow:
        assert await uow.posts.delete(moved.id)
        await uow.commit()
    assert await tagged("sand") == []
    assert await tagged("sun") == [newer.id, older.id]
    assert await backend.listings.count_public_posts_tagged("sand", at_most=10) == 0
    assert await backend.listings.count_public_posts_tagged("sun", at_most=10) == 2


async def test_popular_since_ranks_by_engagement_and_pages_by_rank(backend: Backend) -> None:
    alice, *fans = await users(backend, "alice", *(f"fan{i}" for i in range(3)))
    (pat,) = await users(backend, "pat", is_private=True)
    (sam,) = await users(backend, "sam", status=AccountStatus.SUSPENDED)
    since = NOW - timedelta(days=1)
    liked, commented, shared, best, dull, also_dull = await posts(backend, alice, *[NOW] * 6)
    (old,) = await posts(backend, alice, since)  # at ``since`` is not after it
    hidden = [*await posts(backend, pat, NOW), *await posts(backend, sam, NOW)]
    async with backend.uow() as uow:
        for fan in fans:  # liked: 3 likes = 3
            await uow.interactions.add_like(liked.id, fan.id, NOW)
            await uow.interactions.add_like(old.id, fan.id, NOW)
            for post in hidden:
                await uow.interactions.add_share(Share(new_id(), post.id, fan.id, NOW))
        await uow.interactions.add_like(commented.id, fans[0].id, NOW)  # 1 + 2·1 = 3
        await uow.comments.add(a_comment(commented, fans[1], NOW))
        await uow.interactions.add_share(Share(new_id(), shared.id, fans[0].id, NOW))  # 3·1 = 3
        await uow.comments.add(first := a_comment(best, fans[0], NOW))  # 2·2 + 3·1 = 7
        await uow.comments.add(a_comment(best, fans[1], NOW, first))
        await uow.interactions.add_share(Share(new_id(), best.id, fans[2].id, NOW))
        await uow.interactions.add_bookmark(dull.id, fans[0].id, NOW)  # bookmarks count nothing
        await uow.commit()
    tied = sorted([liked.id, commented.id, shared.id], reverse=True)
    expected = [best.id, *tied, *sorted([dull.id, also_dull.id], reverse=True)]
    ranks = [7.0, 3.0, 3.0, 3.0, 0.0, 0.0]
    seen: list[UUID] = []
    after: RankCursor | None = None
    while True:
        page = await backend.listings.popular_posts_since(since, PageRequest(limit=2, after=after))
        seen += page.items
        if page.next_cursor is None:
            break
        assert isinstance(page.next_cursor, RankCursor)
        assert page.next_cursor == RankCursor(ranks[len(seen) - 1], seen[-1])
        after = page.next_cursor
    assert seen == expected
    everything = await backend.listings.popular_posts_since(since, PageRequest(limit=100))
    assert everything == Page(expected, None)
    later = await backend.listings.popular_posts_since(NOW, PageRequest())
    assert later == Page([], None)


async def test_explore_through_a_small_hot_pool_pages_as_the_table_ranks(
    database: Database, read_pool: ReadPool
) -> None:
    """Explore's pages come from the hot pool (here 3 posts) and, past its end, from the table:
    every page size gives the table's whole order, ties by id, no repeat, no skip."""
    backend = postgres_backend(database, read_pool)
    listings = AsyncpgListings(read_pool, planned=read_pool, suggestion_bounds=SMALL_POOL)
    author, *fans = await users(backend, "author", *(f"fan{i}" for i in range(4)))
    made = await posts(backend, author, *[NOW] * 9)
    async with backend.uow() as uow:
        for post, likes in zip(made, [4, 0, 2, 2, 1, 0, 3, 2, 0], strict=True):
            for fan in fans[:likes]:
                await uow.interactions.add_like(post.id, fan.id, NOW)
        await uow.commit()
    since = NOW - timedelta(days=1)
    expected = (
        await AsyncpgListings(read_pool, planned=read_pool).popular_posts_since(
            since, PageRequest(limit=100)
        )
    ).items
    assert len(expected) == 9
    for limit in (1, 2, 3, 4, 8, 100):
        seen: list[UUID] = []
        after: RankCursor | None = None
        while True:
            page = await listings.popular_posts_since(since, PageRequest(limit=limit, after=after))
            seen += page.items
            if page.next_cursor is None:
                break
            after = page.next_cursor
        assert seen == expected, limit


async def test_concurrent_interactions_keep_counters_exact(
    database: Database, read_pool: ReadPool
) -> None:
    """Likes, unlikes, shares, unshares, comments, replies and deletions on one post at once,
    each in its own transaction, in random order and with repeats: every counter of the post
    and of its comments equals COUNT(*) of the rows it counts."""
    backend = postgres_backend(database, read_pool)
    author, *people = await users(backend, "author", *(f"user{i:02}" for i in range(40)))
    (post,) = await posts(backend, author, NOW)
    rng = random.Random(11)
    tops: list[Comment] = []
    every: list[Comment] = []
    refused = 0

    async def act() -> None:
        nonlocal refused
        user = rng.choice(people)
        kind = rng.choices(ACTIONS, weights=[15, 8, 12, 8, 12, 30, 15])[0]
        if not tops:
            kind = "comment"
        try:
            async with backend.uow() as uow:
                if kind == "like":
                    await uow.interactions.add_like(post.id, user.id, NOW)
                elif kind == "unlike":
                    await uow.interactions.remove_like(post.id, user.id)
                elif kind == "share":
                    await uow.interactions.add_share(Share(new_id(), post.id, user.id, NOW))
                elif kind == "unshare":
                    await uow.interactions.remove_share(post.id, user.id)
                elif kind == "comment":
                    tops.append(comment := a_comment(post, user, NOW))
                    every.append(comment)
                    await uow.comments.add(comment)
                elif kind == "reply":
                    every.append(reply := a_comment(post, user, NOW, rng.choice(tops)))
                    await uow.comments.add(reply)
                else:  # mostly a comment with replies, racing the replies being added
                    await uow.comments.delete(rng.choice(rng.choice([tops, tops, every])).id)
                await uow.commit()
        except Invalid as error:  # the adapter's word for a parent that went meanwhile
            assert kind == "reply" and error.errors[0].field == "parent_id"  # noqa: PT017
            refused += 1

    for _ in range(5):
        await asyncio.gather(*(act() for _ in range(60)))
    async with database.engine.connect() as connection:
        row = (
            await connection.execute(
                text("""
                    SELECT p.likes_count, p.comments_count, p.shares_count,
                           (SELECT count(*) FROM likes WHERE post_id = p.id) AS likes,
                           (SELECT count(*) FROM comments WHERE post_id = p.id) AS comments,
                           (SELECT count(*) FROM shares WHERE post_id = p.id) AS shares
                    FROM posts p WHERE p.id = :id
                """),
                {"id": post.id},
            )
        ).one()
        wrong_replies = (
            await connection.execute(
                text("""
                    SELECT c.id FROM comments c
                    WHERE c.replies_count
                          <> (SELECT count(*) FROM comments r WHERE r.parent_id = c.id)
                """)
            )
        ).all()
        replies = (
            await connection.execute(
                text("SELECT count(*) FROM comments WHERE parent_id IS NOT NULL")
            )
        ).scalar_one()
    assert (row.likes_count, row.comments_count, row.shares_count) == (
        row.likes,
        row.comments,
        row.shares,
    )
    assert wrong_replies == []
    assert row.likes > 0 and row.shares > 0 and replies > 0
    assert row.comments < len(every) - refused  # some were deleted
