"""The in-process cache in front of the grant lookup: live grants are remembered (a grant
without a session only briefly), unknown tokens never are, and ``forget`` drops one at once."""

from __future__ import annotations

from uuid import uuid4

from social.adapters.cache.app_grant_cache import CachedAppTokenLookup
from social.domain.accounts.authenticate_app import AppTokenGrant
from tests.fakes.shared import MutableClock

USER = AppTokenGrant(uuid4(), frozenset({"read"}), uuid4(), uuid4())
APP_ONLY = AppTokenGrant(uuid4(), frozenset({"read"}))


class CountingLookup:
    def __init__(self) -> None:
        self.grants = {b"user": USER, b"app": APP_ONLY}
        self.calls = 0

    async def find_grant(self, token_hash: bytes) -> AppTokenGrant | None:
        self.calls += 1
        return self.grants.get(token_hash)

    def forget(self, token_hash: bytes) -> None:
        return None


async def test_grants_are_cached_within_their_ttl_and_forgotten_on_revocation() -> None:
    inner, clock = CountingLookup(), MutableClock()
    cache = CachedAppTokenLookup(inner, ttl_s=300, app_ttl_s=5, clock=clock)
    assert await cache.find_grant(b"user") == USER
    assert await cache.find_grant(b"app") == APP_ONLY
    assert await cache.find_grant(b"user") == USER and await cache.find_grant(b"app") == APP_ONLY
    assert inner.calls == 2
    assert await cache.find_grant(b"unknown") is None
    assert await cache.find_grant(b"unknown") is None
    assert inner.calls == 4  # misses are not cached
    clock.advance(seconds=6)  # past the app-only TTL, within the other
    await cache.find_grant(b"user")
    await cache.find_grant(b"app")
    assert inner.calls == 5
    del inner.grants[b"user"]
    cache.forget(b"user")
    assert await cache.find_grant(b"user") is None
