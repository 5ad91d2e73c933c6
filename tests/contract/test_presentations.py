"""One suite for the presentation store (process memory and Redis), and the cache built on it
(``CachedPresentedViews``, the ``PresentedViews`` port) on each store with the fake and the
PostgreSQL content sources: hits never touch the database, misses are filled in one statement
per kind, and a store that is down costs speed, never answers."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import msgspec
import pytest
from redis.asyncio import Redis

from social.adapters.cache.memory_presentations import InMemoryPresentationStore
from social.adapters.cache.redis_presentations import RedisPresentationStore
from social.adapters.cache.tiered_presentations import TieredPresentationStore
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.presenting import JsonPresenter
from social.adapters.read_model.cached_views import CachedPresentedViews
from social.adapters.read_model.content import (
    AccountContent,
    ContentSource,
    PostContent,
    PresentationStore,
)
from social.domain.shared.errors import Unavailable
from social.domain.shared.ids import new_id
from tests.contract.stores import Backend, users
from tests.contract.test_read_model import overlay, publish
from tests.fakes.media import InMemoryMediaStorage


@pytest.fixture(params=["memory", "redis", "memory+redis"])
async def presentation_store(request: pytest.FixtureRequest) -> AsyncIterator[PresentationStore]:
    if request.param == "memory":
        yield InMemoryPresentationStore(max_entries=100)
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    prefix = f"test:pv:{secrets.token_hex(4)}:"
    shared = RedisPresentationStore(redis, prefix=prefix)
    try:
        if request.param == "redis":
            yield shared
        else:  # what production runs: each process's memory in front of Redis
            yield TieredPresentationStore(
                InMemoryPresentationStore(max_entries=100), shared, local_ttl_s=30
            )
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


async def test_a_store_keeps_bytes_by_key_until_they_expire(
    presentation_store: PresentationStore,
) -> None:
    assert await presentation_store.get_many([]) == []
    assert await presentation_store.get_many(["a", "b"]) == [None, None]
    await presentation_store.put_many({"a": b'{"x":1', "b": b"\x00\xff"}, ttl_s=60)
    # long enough that the read below is never late, even on a busy machine (issue 13)
    await presentation_store.put_many({"short": b"soon gone"}, ttl_s=1.0)
    await presentation_store.put_many({}, ttl_s=60)
    assert await presentation_store.get_many(["b", "missing", "a", "short"]) == [
        b"\x00\xff",
        None,
        b'{"x":1',
        b"soon gone",
    ]
    await asyncio.sleep(1.5)  # waiting longer only makes the expiry surer
    assert await presentation_store.get_many(["short", "a"]) == [None, b'{"x":1']
    await presentation_store.put_many({"a": b"new"}, ttl_s=60)
    assert await presentation_store.get_many(["a"]) == [b"new"]


async def test_the_memory_store_is_bounded() -> None:
    store = InMemoryPresentationStore(max_entries=3)
    await store.put_many({f"k{i}": b"v" for i in range(3)}, ttl_s=60)
    assert await store.get_many(["k0"]) == [b"v"]  # now the most recently used
    await store.put_many({"k3": b"v"}, ttl_s=60)
    assert await store.get_many(["k0", "k1", "k2", "k3"]) == [b"v", None, b"v", b"v"]


class CountingSource:
    """Counts the statements a content source is asked for."""

    def __init__(self, inner: ContentSource) -> None:
        self.inner = inner
        self.calls: list[tuple[str, int]] = []

    async def posts(self, ids: Collection[UUID]) -> list[PostContent]:
        self.calls.append(("posts", len(ids)))
        return await self.inner.posts(ids)

    async def accounts(self, ids: Collection[UUID]) -> list[AccountContent]:
        self.calls.append(("accounts", len(ids)))
        return await self.inner.accounts(ids)


class DownStore:
    """Redis when it is stopped."""

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        raise Unavailable("down", dependency="cache")

    async def put_many(self, entries: Mapping[str, bytes], ttl_s: float) -> None:
        raise Unavailable("down", dependency="cache")


def views(store: PresentationStore, source: ContentSource) -> CachedPresentedViews:
    media = MediaPresenter(InMemoryMediaStorage(), reuse_for=timedelta(0))
    return CachedPresentedViews(
        store=store, source=source, presenter=JsonPresenter(media), ttl_s=60
    )


def decoded(presented: bytes) -> dict[str, object]:
    result: dict[str, object] = msgspec.json.decode(presented + b"}")
    return result


async def test_hits_never_touch_the_database_and_misses_fill_in_one_statement_a_kind(
    backend: Backend, presentation_store: PresentationStore
) -> None:
    alice, bob = await users(backend, "alice", "bob")
    posts = [await publish(backend, alice, f"post {i}") for i in range(3)]
    seen = await overlay(backend, None, post_ids=[p.id for p in posts], account_ids=[bob.id])
    keys = [(p.id, seen.posts[p.id].revision) for p in posts]
    people = [(a.id, a.revision) for a in seen.accounts.values()]
    source = CountingSource(backend.contents)
    cache = views(presentation_store, source)
    first = await cache.present(posts=keys, accounts=people)
    assert source.calls == [("posts", 3), ("accounts", 2)]
    assert [decoded(first.posts[p.id])["caption"] for p in posts] == ["post 0", "post 1", "post 2"]
    assert decoded(first.accounts[alice.id])["username"] == "alice"
    again = await cache.present(posts=keys, accounts=people)
    assert source.calls == [("posts", 3), ("accounts", 2)]  # all hits
    assert again == first
    other_process = views(presentation_store, source)  # another process on the same Redis
    await other_process.present(posts=keys[:1])
    assert len(source.calls) == 2


async def test_a_new_revision_is_presented_afresh_and_gone_ids_are_left_out(
    backend: Backend, presentation_store: PresentationStore
) -> None:
    (alice,) = await users(backend, "alice")
    post = await publish(backend, alice, "before")
    cache = views(presentation_store, backend.contents)
    old = (await overlay(backend, None, post_ids=[post.id])).posts[post.id].revision
    assert decoded((await cache.present(posts=[(post.id, old)])).posts[post.id])["caption"] == (
        "before"
    )
    async with backend.uow() as uow:
        await uow.posts.update(replace(post, caption="after"))
        await uow.commit()
    new = (await overlay(backend, None, post_ids=[post.id])).posts[post.id].revision
    assert new != old
    fresh = await cache.present(posts=[(post.id, new)])
    assert decoded(fresh.posts[post.id])["caption"] == "after"
    missing = await cache.present(posts=[(new_id(), 0)], accounts=[(new_id(), 0)])
    assert not missing.posts and not missing.accounts


async def test_a_store_that_is_down_costs_the_database_not_the_answer(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    post = await publish(backend, alice, "still shown")
    source = CountingSource(backend.contents)
    cache = views(DownStore(), source)
    revision = (await overlay(backend, None, post_ids=[post.id])).posts[post.id].revision
    for _ in range(2):
        found = await cache.present(posts=[(post.id, revision)])
        assert decoded(found.posts[post.id])["caption"] == "still shown"
    assert source.calls == [("posts", 1), ("posts", 1)]


async def test_a_process_learns_from_redis_and_keeps_its_copy_briefly(redis_url: str) -> None:
    """Memory in front of Redis: a key one process wrote is found by another through Redis
    once, then from its own memory, which forgets it after ``local_ttl_s`` (Redis keeps it)."""
    redis = Redis.from_url(redis_url)
    prefix = f"test:pv:{secrets.token_hex(4)}:"
    shared = RedisPresentationStore(redis, prefix=prefix)
    try:
        writer = TieredPresentationStore(InMemoryPresentationStore(), shared, local_ttl_s=30)
        reader_memory = InMemoryPresentationStore()
        reader = TieredPresentationStore(reader_memory, shared, local_ttl_s=1.0)
        await writer.put_many({"p1:1": b"one"}, ttl_s=60)
        assert await reader_memory.get_many(["p1:1"]) == [None]
        assert await reader.get_many(["p1:1", "p2:1"]) == [b"one", None]
        assert await reader_memory.get_many(["p1:1"]) == [b"one"]  # learned
        await asyncio.sleep(1.5)
        assert await reader_memory.get_many(["p1:1"]) == [None]  # its copy went
        assert await reader.get_many(["p1:1"]) == [b"one"]  # Redis still has it
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
