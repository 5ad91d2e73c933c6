"""A short in-process cache in front of the session check every authenticated request makes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Protocol
from uuid import UUID

from social.domain.accounts.model import ActiveSession
from social.domain.accounts.ports import ActiveSessionLookup
from social.domain.shared.caching import ExpiringCache
from social.domain.shared.clock import Clock, SystemClock

__all__ = ["CachedActiveSessionLookup", "Revocations"]


class Revocations(Protocol):
    """Tells the other processes of a revocation (``RedisSessionRevocations``)."""

    def session(self, session_id: UUID) -> None: ...

    def user(self, user_id: UUID) -> None: ...


class CachedActiveSessionLookup:
    """Remembers live sessions for ``ttl_s`` seconds (dead ones are not cached, so a revoked
    session never comes back to life). This process's own revocations call ``forget`` and take
    effect at once; with ``revocations`` they are told to every other process too, which
    ``discard`` them at once (so the TTL can be long); without, another process's revocation
    takes effect within the TTL. Bounded LRU."""

    def __init__(
        self,
        inner: ActiveSessionLookup,
        *,
        ttl_s: float,
        max_entries: int = 100_000,
        clock: Clock | None = None,
        revocations: Revocations | None = None,
    ) -> None:
        self._inner = inner
        self._revocations = revocations
        self._cache: ExpiringCache[UUID, ActiveSession] = ExpiringCache(
            clock or SystemClock(), timedelta(seconds=ttl_s), max_entries=max_entries
        )

    async def find_active(self, session_id: UUID) -> ActiveSession | None:
        fresh, cached = self._cache.get(session_id)
        if fresh:
            return cached
        session = await self._inner.find_active(session_id)
        if session is not None:
            self._cache.put(session_id, session)
        return session

    async def find_active_many(self, session_ids: Collection[UUID]) -> dict[UUID, ActiveSession]:
        """Fresh entries from the cache, the rest in one call to the inner lookup."""
        found: dict[UUID, ActiveSession] = {}
        missing: list[UUID] = []
        for session_id in session_ids:
            fresh, cached = self._cache.get(session_id)
            if fresh and cached is not None:
                found[session_id] = cached
            else:
                missing.append(session_id)
        if missing:
            fetched = await self._inner.find_active_many(missing)
            for session_id, session in fetched.items():
                self._cache.put(session_id, session)
                found[session_id] = session
        return found

    def forget(self, session_id: UUID) -> None:
        self.discard_session(session_id)
        self._inner.forget(session_id)
        if self._revocations is not None:
            self._revocations.session(session_id)

    def forget_user(self, user_id: UUID) -> None:
        self.discard_user(user_id)
        self._inner.forget_user(user_id)
        if self._revocations is not None:
            self._revocations.user(user_id)

    def discard_session(self, session_id: UUID) -> None:
        """A revocation heard from another process."""
        self._cache.discard(session_id)

    def discard_user(self, user_id: UUID) -> None:
        self._cache.forget(lambda _, session: session.user_id == user_id)

    def discard_all(self) -> None:
        self._cache.clear()
