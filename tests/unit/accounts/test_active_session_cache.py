"""The session cache: live sessions are remembered for the TTL, dead ones never are, and a
batch asks the inner lookup only for what it does not hold fresh."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from social.adapters.cache.active_session_cache import CachedActiveSessionLookup
from social.domain.accounts.model import ActiveSession
from social.domain.shared.identity import Role
from social.domain.shared.ids import new_id


class Inner:
    def __init__(self) -> None:
        self.sessions: dict[UUID, ActiveSession] = {}
        self.asked: list[set[UUID]] = []

    def add(self) -> ActiveSession:
        session = ActiveSession(session_id=new_id(), user_id=new_id(), role=Role.USER)
        self.sessions[session.session_id] = session
        return session

    async def find_active(self, session_id: UUID) -> ActiveSession | None:
        self.asked.append({session_id})
        return self.sessions.get(session_id)

    async def find_active_many(self, session_ids: Collection[UUID]) -> dict[UUID, ActiveSession]:
        self.asked.append(set(session_ids))
        return {s: self.sessions[s] for s in session_ids if s in self.sessions}

    def forget(self, session_id: UUID) -> None:
        return None

    def forget_user(self, user_id: UUID) -> None:
        return None


async def test_a_batch_fetches_only_what_is_not_cached_and_caches_what_stands() -> None:
    inner = Inner()
    cache = CachedActiveSessionLookup(inner, ttl_s=60)
    known, fresh, gone = inner.add(), inner.add(), new_id()
    assert await cache.find_active(known.session_id) == known

    found = await cache.find_active_many([known.session_id, fresh.session_id, gone])

    assert found == {known.session_id: known, fresh.session_id: fresh}
    assert inner.asked[-1] == {fresh.session_id, gone}  # the cached one was not asked again
    await cache.find_active_many([known.session_id, fresh.session_id])
    assert len(inner.asked) == 2  # both cached now: no lookup at all
    del inner.sessions[fresh.session_id]  # revoked elsewhere: seen once the entry expires
    cache.forget(fresh.session_id)
    assert await cache.find_active_many([fresh.session_id]) == {}
    assert inner.asked[-1] == {fresh.session_id}


async def test_entries_expire_after_the_ttl() -> None:
    inner = Inner()
    cache = CachedActiveSessionLookup(inner, ttl_s=0)
    session = inner.add()
    await cache.find_active_many([session.session_id])
    await cache.find_active_many([session.session_id])
    assert inner.asked == [{session.session_id}, {session.session_id}]
