"""Revocations told over Redis: a logout in one process ends the session in every other at
once, however long they would have trusted it; a process that lost Redis forgets what it
cached."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from redis.asyncio import Redis

from social.adapters.cache.active_session_cache import CachedActiveSessionLookup
from social.adapters.cache.session_revocations import RedisSessionRevocations
from social.domain.shared.ids import new_id
from tests.unit.accounts.test_active_session_cache import Inner


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


async def a_process(
    redis: Redis, inner: Inner, prefix: str
) -> tuple[CachedActiveSessionLookup, RedisSessionRevocations]:
    """One API process's session cache, listening on the shared channel."""
    revocations = RedisSessionRevocations(redis, prefix=prefix)
    cache = CachedActiveSessionLookup(inner, ttl_s=3600, revocations=revocations)
    revocations.start(
        forget_session=cache.discard_session,
        forget_user=cache.discard_user,
        forget_all=cache.discard_all,
    )
    await asyncio.sleep(0.2)  # subscribed
    return cache, revocations


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(50):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not in time")


async def test_a_revocation_reaches_every_process_at_once(redis: Redis) -> None:
    inner = Inner()  # the database both processes ask
    prefix = f"test:sessions:{new_id().hex}:"
    (one, one_feed), (two, two_feed) = [await a_process(redis, inner, prefix) for _ in range(2)]
    try:
        alice, bob = inner.add(), inner.add()
        for cache in (one, two):  # both trust both sessions for an hour
            assert await cache.find_active(alice.session_id) == alice
            assert await cache.find_active(bob.session_id) == bob
        del inner.sessions[alice.session_id]  # a logout, handled by process one
        one.forget(alice.session_id)

        async def two_sees_the_logout() -> bool:
            return await two.find_active(alice.session_id) is None

        await eventually(two_sees_the_logout)
        del inner.sessions[bob.session_id]  # a suspension: every session of the account
        two.forget_user(bob.user_id)

        async def one_sees_the_suspension() -> bool:
            return await one.find_active(bob.session_id) is None

        await eventually(one_sees_the_suspension)
    finally:
        await one_feed.close()
        await two_feed.close()


async def test_a_process_that_connects_forgets_what_it_cached(redis: Redis) -> None:
    """Whenever its reader (re)connects it may have missed revocations: the cache is emptied,
    so a lost message costs lookups, never a revoked session that still works."""
    inner = Inner()
    revocations = RedisSessionRevocations(redis, prefix=f"test:sessions:{new_id().hex}:")
    cache = CachedActiveSessionLookup(inner, ttl_s=3600, revocations=revocations)
    session = inner.add()
    await cache.find_active(session.session_id)
    cleared: list[bool] = []

    def forget_all() -> None:
        cleared.append(True)
        cache.discard_all()

    revocations.start(
        forget_session=cache.discard_session, forget_user=cache.discard_user, forget_all=forget_all
    )
    try:

        async def connected() -> bool:
            return bool(cleared)

        await eventually(connected)
        asked = len(inner.asked)
        await cache.find_active(session.session_id)
        assert len(inner.asked) == asked + 1  # asked the database again
    finally:
        await revocations.close()
