"""An in-process cache in front of the grant lookup every request of a client app makes."""

from __future__ import annotations

from datetime import timedelta

from social.domain.accounts.authenticate_app import AppTokenGrant, AppTokenLookup
from social.domain.shared.caching import ExpiringCache
from social.domain.shared.clock import Clock, SystemClock

__all__ = ["CachedAppTokenLookup"]


class CachedAppTokenLookup:
    """Remembers live grants by token hash (unknown and revoked tokens are not cached, so a
    revoked token never comes back to life). Bounded LRU.

    A grant acting for an account is kept ``ttl_s``: whether it still stands is the session
    check's answer, made on every request behind its own short cache, and revoking the token
    ends its session (this process forgets both at once; another process refuses the token
    once its session cache lets go: at once with Redis, else within the session cache's TTL).
    A client-credentials grant has no session: it is kept only ``app_ttl_s``, the bound for
    another process to see its revocation."""

    def __init__(
        self,
        inner: AppTokenLookup,
        *,
        ttl_s: float,
        app_ttl_s: float,
        max_entries: int = 100_000,
        clock: Clock | None = None,
    ) -> None:
        self._inner = inner
        clock = clock or SystemClock()
        self._with_session: ExpiringCache[bytes, AppTokenGrant] = ExpiringCache(
            clock, timedelta(seconds=ttl_s), max_entries=max_entries
        )
        self._app_only: ExpiringCache[bytes, AppTokenGrant] = ExpiringCache(
            clock, timedelta(seconds=app_ttl_s), max_entries=max(1, max_entries // 10)
        )

    async def find_grant(self, token_hash: bytes) -> AppTokenGrant | None:
        for cache in (self._with_session, self._app_only):
            fresh, cached = cache.get(token_hash)
            if fresh:
                return cached
        grant = await self._inner.find_grant(token_hash)
        if grant is not None:
            cache = self._app_only if grant.session_id is None else self._with_session
            cache.put(token_hash, grant)
        return grant

    def forget(self, token_hash: bytes) -> None:
        self._with_session.discard(token_hash)
        self._app_only.discard(token_hash)
        self._inner.forget(token_hash)
