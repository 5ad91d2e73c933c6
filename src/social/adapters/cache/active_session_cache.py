"""A short in-process cache in front of the session check every authenticated request makes."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Collection
from uuid import UUID

from social.domain.accounts.model import ActiveSession
from social.domain.accounts.ports import ActiveSessionLookup

__all__ = ["CachedActiveSessionLookup"]


class CachedActiveSessionLookup:
    """Remembers live sessions for ``ttl_s`` seconds (dead ones are not cached, so a revoked
    session never comes back to life). Another process's revocation takes effect within the TTL;
    this process's own revocations call ``forget`` and take effect at once. Bounded LRU."""

    def __init__(self, inner: ActiveSessionLookup, *, ttl_s: float, max_entries: int = 100_000):
        self._inner = inner
        self._ttl = ttl_s
        self._max = max_entries
        self._entries: OrderedDict[UUID, tuple[float, ActiveSession]] = OrderedDict()

    async def find_active(self, session_id: UUID) -> ActiveSession | None:
        now = time.monotonic()
        cached = self._entries.get(session_id)
        if cached is not None and cached[0] > now:
            self._entries.move_to_end(session_id)
            return cached[1]
        session = await self._inner.find_active(session_id)
        if session is None:
            self._entries.pop(session_id, None)
            return None
        self._entries[session_id] = (now + self._ttl, session)
        self._entries.move_to_end(session_id)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return session

    async def find_active_many(self, session_ids: Collection[UUID]) -> dict[UUID, ActiveSession]:
        """Fresh entries from the cache, the rest in one call to the inner lookup."""
        now = time.monotonic()
        found: dict[UUID, ActiveSession] = {}
        missing: list[UUID] = []
        for session_id in session_ids:
            cached = self._entries.get(session_id)
            if cached is not None and cached[0] > now:
                found[session_id] = cached[1]
            else:
                missing.append(session_id)
        if missing:
            fetched = await self._inner.find_active_many(missing)
            for session_id in missing:
                session = fetched.get(session_id)
                if session is None:
                    self._entries.pop(session_id, None)
                    continue
                self._entries[session_id] = (now + self._ttl, session)
                self._entries.move_to_end(session_id)
                found[session_id] = session
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return found

    def forget(self, session_id: UUID) -> None:
        self._entries.pop(session_id, None)
        self._inner.forget(session_id)

    def forget_user(self, user_id: UUID) -> None:
        for key in [k for k, (_, s) in self._entries.items() if s.user_id == user_id]:
            del self._entries[key]
        self._inner.forget_user(user_id)
