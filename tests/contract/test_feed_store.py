"""One suite for the feed-store port, on process memory and on Redis."""

from __future__ import annotations

import random
import secrets
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID, uuid4

import pytest
from redis.asyncio import Redis

from social.adapters.cache.memory_feed_store import InMemoryFeedStore
from social.adapters.cache.redis_feed_store import RedisFeedStore
from social.domain.feed.model import FeedEntry, FeedItemKind, FeedSlice, newest_first
from social.domain.feed.ports import FeedStore
from social.domain.shared.errors import Unavailable
from social.domain.shared.pagination import Cursor

MakeStore = Callable[..., FeedStore]
T0 = datetime(2024, 5, 17, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=["memory", "redis"])
async def make_store(request: pytest.FixtureRequest) -> AsyncIterator[MakeStore]:
    """Builds stores of the parametrized kind; ``max_length`` is the only knob tests turn."""
    if request.param == "memory":
        yield lambda max_length=800: InMemoryFeedStore(max_length)
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    prefix = f"test:feed:{secrets.token_hex(4)}:"
    try:
        yield lambda max_length=800: RedisFeedStore(redis, max_length=max_length, prefix=prefix)
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


@pytest.fixture
def store(make_store: MakeStore) -> FeedStore:
    return make_store()


def entry(
    at: datetime = T0,
    *,
    actor: UUID | None = None,
    kind: FeedItemKind = FeedItemKind.POST,
    author: UUID | None = None,
) -> FeedEntry:
    actor = actor or uuid4()
    post_id = uuid4()
    return FeedEntry(
        id=post_id if kind is FeedItemKind.POST else uuid4(),
        kind=kind,
        post_id=post_id,
        actor_id=actor,
        post_author_id=author or actor,
        created_at=at,
    )


def timeline(count: int, *, step: timedelta = timedelta(seconds=1)) -> list[FeedEntry]:
    """``count`` entries, oldest first, ``step`` apart."""
    return [entry(T0 + i * step) for i in range(count)]


async def read_all(store: FeedStore, owner: UUID, page_size: int) -> list[FeedEntry]:
    """Walks the feed page by page with cursors, checking ``exhausted`` on the way."""
    seen: list[FeedEntry] = []
    cursor: Cursor | None = None
    for _ in range(1000):
        page = await store.read(owner, cursor, page_size)
        assert page is not None
        assert len(page.entries) <= page_size
        seen.extend(page.entries)
        if page.exhausted:
            return seen
        assert len(page.entries) == page_size
        cursor = page.entries[-1].cursor
    raise AssertionError("the pages never ended")


async def test_a_feed_never_built_reads_none(store: FeedStore) -> None:
    assert await store.read(uuid4(), None, 10) is None
    assert await store.read(uuid4(), Cursor(at=T0, id=uuid4()), 10) is None


async def test_replace_then_read_returns_newest_first(store: FeedStore) -> None:
    owner, entries = uuid4(), timeline(5)
    await store.replace(owner, random.sample(entries, len(entries)), trimmed=False)
    page = await store.read(owner, None, 10)
    assert page == FeedSlice(entries=entries[::-1], exhausted=True, trimmed=False)


async def test_replace_replaces_what_was_stored(store: FeedStore) -> None:
    owner = uuid4()
    await store.replace(owner, timeline(3), trimmed=False)
    fresh = timeline(2, step=timedelta(minutes=5))
    await store.replace(owner, fresh, trimmed=True)
    assert await store.read(owner, None, 10) == FeedSlice(
        entries=fresh[::-1], exhausted=True, trimmed=True
    )


async def test_replace_beyond_max_length_keeps_the_newest_and_is_trimmed(
    make_store: MakeStore,
) -> None:
    store, owner, entries = make_store(max_length=3), uuid4(), timeline(5)
    await store.replace(owner, entries, trimmed=False)
    assert await store.read(owner, None, 10) == FeedSlice(
        entries=entries[:1:-1], exhausted=True, trimmed=True
    )


@pytest.mark.parametrize("page_size", [1, 3, 7, 50])
async def test_cursor_pages_walk_every_entry_exactly_once(store: FeedStore, page_size: int) -> None:
    owner = uuid4()
    spread = timeline(10)
    tied = [entry(T0 + timedelta(seconds=5)) for _ in range(25)]  # one instant, 25 entries
    also_tied = [entry(T0 - timedelta(microseconds=1)) for _ in range(4)]
    entries = spread + tied + also_tied
    await store.replace(owner, entries, trimmed=False)
    seen = await read_all(store, owner, page_size)
    assert seen == newest_first(entries)


async def test_a_cursor_whose_entry_is_gone_still_resumes_after_it(store: FeedStore) -> None:
    owner = uuid4()
    entries = [entry(T0 + timedelta(seconds=i // 3)) for i in range(9)]  # ties of three
    ordered = newest_first(entries)
    await store.replace(owner, entries, trimmed=False)
    await store.retract([owner], ordered[4].id)
    page = await store.read(owner, ordered[4].cursor, 100)
    assert page is not None and page.entries == ordered[5:]


async def test_push_to_a_feed_never_built_is_dropped(store: FeedStore) -> None:
    owner = uuid4()
    assert await store.push([owner], entry()) == 0
    assert await store.read(owner, None, 10) is None


async def test_a_push_racing_a_rebuild_is_kept(make_store: MakeStore) -> None:
    """A cold first-page read starts a build: a push before ``replace`` (its entry committed
    after the rebuild's query) joins the rebuilt feed instead of being lost."""
    store, owner, bystander = make_store(max_length=4), uuid4(), uuid4()
    assert await store.read(owner, None, 10) is None  # cold: the rebuild's query runs now
    raced = entry(T0 + timedelta(hours=1))
    assert await store.push([owner, bystander], raced) == 0  # no feed is built yet
    queried = timeline(4)
    await store.replace(owner, queried, trimmed=False)
    page = await store.read(owner, None, 10)
    assert page == FeedSlice(entries=[raced, *queried[:0:-1]], exhausted=True, trimmed=True)
    assert await store.read(bystander, Cursor(at=T0, id=uuid4()), 10) is None
    await store.replace(bystander, [], trimmed=False)  # never read cold: nothing kept aside
    assert await store.read(bystander, None, 10) == FeedSlice([], exhausted=True, trimmed=False)
    await store.forget(owner)
    await store.replace(owner, queried[:1], trimmed=False)  # the build is over: no replay
    page = await store.read(owner, None, 10)
    assert page is not None and page.entries == queried[:1]


async def test_push_reaches_the_built_feeds_and_counts_them(store: FeedStore) -> None:
    built, cold = [uuid4(), uuid4(), uuid4()], [uuid4(), uuid4()]
    old = timeline(2)
    for owner in built:
        await store.replace(owner, old, trimmed=False)
    new = entry(T0 + timedelta(hours=1))
    assert await store.push([cold[0], *built, cold[1]], new) == 3
    for owner in built:
        page = await store.read(owner, None, 10)
        assert page is not None and page.entries == [new, *old[::-1]]
    for owner in cold:
        assert await store.read(owner, None, 10) is None
    assert await store.push([], new) == 0


async def test_push_is_idempotent(store: FeedStore) -> None:
    owners = [uuid4(), uuid4()]
    for owner in owners:
        await store.replace(owner, timeline(2), trimmed=False)
    new = entry(T0 + timedelta(hours=1))
    assert await store.push(owners, new) == 2
    assert await store.push(owners, new) == 2
    page = await store.read(owners[0], None, 10)
    assert page is not None and [e.id for e in page.entries].count(new.id) == 1
    assert len(page.entries) == 3


async def test_push_beyond_max_length_trims_the_oldest(make_store: MakeStore) -> None:
    store, owner, entries = make_store(max_length=3), uuid4(), timeline(5)
    await store.replace(owner, entries[:3], trimmed=False)
    page = await store.read(owner, None, 10)
    assert page is not None and not page.trimmed
    assert await store.push([owner], entries[3]) == 1
    assert await store.push([owner], entries[4]) == 1
    assert await store.read(owner, None, 10) == FeedSlice(
        entries=entries[:1:-1], exhausted=True, trimmed=True
    )
    # An entry older than all a full feed holds is trimmed at once: the feed did not take it.
    assert await store.push([owner], entry(T0 - timedelta(days=1))) == 0
    assert await store.read(owner, None, 10) == FeedSlice(
        entries=entries[:1:-1], exhausted=True, trimmed=True
    )


async def test_exhausted_only_when_nothing_older_remains(store: FeedStore) -> None:
    owner, entries = uuid4(), timeline(4)
    ordered = entries[::-1]
    await store.replace(owner, entries, trimmed=False)
    first = await store.read(owner, None, 3)
    assert first is not None and first.entries == ordered[:3] and not first.exhausted
    exact = await store.read(owner, None, 4)
    assert exact is not None and exact.entries == ordered and exact.exhausted
    last = await store.read(owner, ordered[2].cursor, 3)
    assert last is not None and last.entries == ordered[3:] and last.exhausted
    past_the_end = await store.read(owner, ordered[3].cursor, 3)
    assert past_the_end == FeedSlice(entries=[], exhausted=True, trimmed=False)


async def test_retract_removes_one_entry_from_several_feeds(store: FeedStore) -> None:
    owners, entries = [uuid4(), uuid4(), uuid4()], timeline(3)
    for owner in owners:
        await store.replace(owner, entries, trimmed=False)
    await store.retract([*owners[:2], uuid4()], entries[1].id)
    for owner in owners[:2]:
        page = await store.read(owner, None, 10)
        assert page is not None and page.entries == [entries[2], entries[0]]
    untouched = await store.read(owners[2], None, 10)
    assert untouched is not None and untouched.entries == entries[::-1]
    await store.retract(owners, uuid4())  # a missing entry is no error
    await store.retract([], entries[0].id)


async def test_drop_actor_removes_only_that_actors_entries(store: FeedStore) -> None:
    owner, gone, stays = uuid4(), uuid4(), uuid4()
    posts_by_gone = [entry(T0 + timedelta(seconds=i), actor=gone) for i in range(3)]
    share_by_gone = entry(T0 + timedelta(seconds=3), actor=gone, kind=FeedItemKind.SHARE)
    post_by_stays = entry(T0 + timedelta(seconds=4), actor=stays)
    # Someone else's share of a post by ``gone``: ``gone`` is its author, not its actor.
    share_of_gone = entry(
        T0 + timedelta(seconds=5), actor=stays, kind=FeedItemKind.SHARE, author=gone
    )
    await store.replace(
        owner,
        [*posts_by_gone, share_by_gone, post_by_stays, share_of_gone],
        trimmed=False,
    )
    await store.drop_actor(owner, gone)
    page = await store.read(owner, None, 10)
    assert page is not None and page.entries == [share_of_gone, post_by_stays]
    await store.drop_actor(uuid4(), gone)  # a feed never built is no error


async def test_forget_makes_the_feed_unbuilt(store: FeedStore) -> None:
    owner = uuid4()
    await store.replace(owner, timeline(2), trimmed=True)
    await store.forget(owner)
    assert await store.read(owner, None, 10) is None
    assert await store.push([owner], entry()) == 0
    await store.forget(uuid4())  # forgetting a feed never built is no error


async def test_an_empty_replace_builds_an_empty_feed(store: FeedStore) -> None:
    owner = uuid4()
    await store.replace(owner, [], trimmed=False)
    assert await store.read(owner, None, 10) == FeedSlice(entries=[], exhausted=True, trimmed=False)
    new = entry()
    assert await store.push([owner], new) == 1
    assert await store.read(owner, None, 10) == FeedSlice(
        entries=[new], exhausted=True, trimmed=False
    )
    await store.retract([owner], new.id)
    assert await store.read(owner, None, 10) == FeedSlice(entries=[], exhausted=True, trimmed=False)


async def test_entries_round_trip_exactly(store: FeedStore) -> None:
    owner = uuid4()
    post = entry(datetime(2031, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
    share = entry(datetime(1999, 1, 1, 0, 0, 0, 1, tzinfo=UTC), kind=FeedItemKind.SHARE)
    elsewhere = timezone(timedelta(hours=-7, minutes=-30))
    local = entry(datetime(2024, 2, 29, 8, 15, 30, 654321, tzinfo=elsewhere))
    await store.replace(owner, [share, local], trimmed=False)
    assert await store.push([owner], post) == 1
    page = await store.read(owner, None, 10)
    assert page is not None and page.entries == [post, local, share]
    for got, sent in zip(page.entries, [post, local, share], strict=True):
        assert (got.id, got.kind, got.post_id) == (sent.id, sent.kind, sent.post_id)
        assert (got.actor_id, got.post_author_id) == (sent.actor_id, sent.post_author_id)
        assert got.created_at == sent.created_at
        assert got.created_at.utcoffset() is not None
        assert got.created_at.astimezone(UTC) == sent.created_at.astimezone(UTC)
    assert share.kind is FeedItemKind.SHARE and page.entries[2].kind is FeedItemKind.SHARE


async def test_redis_feeds_expire_and_reads_refresh_them(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    prefix = f"test:feed:{secrets.token_hex(4)}:"
    store = RedisFeedStore(redis, ttl_s=100, prefix=prefix)
    owner = uuid4()
    feed, meta = f"{prefix}{owner.hex}", f"{prefix}{owner.hex}:m"
    try:
        await store.replace(owner, [], trimmed=False)
        assert 0 < await redis.ttl(meta) <= 100
        assert await store.push([owner], entry()) == 1  # the push creates the set
        assert await redis.ttl(feed) >= await redis.ttl(meta) > 0
        await redis.expire(meta, 5)
        await redis.expire(feed, 5)
        assert await store.read(owner, None, 10) is not None
        assert await redis.ttl(meta) > 5 and await redis.ttl(feed) > 5
    finally:
        await redis.delete(feed, meta)
        await redis.aclose()


async def test_redis_unreachable_is_unavailable() -> None:
    redis = Redis.from_url("redis://127.0.0.1:1", socket_connect_timeout=0.5, socket_timeout=0.5)
    store = RedisFeedStore(redis)
    owner = uuid4()
    try:
        with pytest.raises(Unavailable) as raised:
            await store.read(owner, None, 10)
        assert raised.value.dependency == "feed"
        with pytest.raises(Unavailable):
            await store.read(owner, Cursor(at=T0, id=uuid4()), 10)
        with pytest.raises(Unavailable):
            await store.push([owner], entry())
        with pytest.raises(Unavailable):
            await store.replace(owner, [entry()], trimmed=False)
        with pytest.raises(Unavailable):
            await store.retract([owner], uuid4())
        with pytest.raises(Unavailable):
            await store.drop_actor(owner, uuid4())
        with pytest.raises(Unavailable):
            await store.forget(owner)
    finally:
        await redis.aclose()
