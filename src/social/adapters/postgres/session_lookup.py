"""Whether sessions still stand: the check every authenticated request makes (behind the
in-process cache), one indexed join on the read pool with no transaction around it."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from social.adapters.postgres.read_pool import ReadPool
from social.domain.accounts.model import ActiveSession
from social.domain.shared.identity import Role

__all__ = ["AsyncpgActiveSessionLookup"]

_ACTIVE = """
SELECT s.id, s.user_id, u.role FROM auth_sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = ANY($1::uuid[]) AND s.revoked_at IS NULL AND u.status = 'active'
"""
_ROLES = {role.value: role for role in Role}


class AsyncpgActiveSessionLookup:
    """See ``CachedActiveSessionLookup`` for the cache in front of it."""

    def __init__(self, pool: ReadPool) -> None:
        self._pool = pool

    async def find_active(self, session_id: UUID) -> ActiveSession | None:
        return (await self.find_active_many([session_id])).get(session_id)

    async def find_active_many(self, session_ids: Collection[UUID]) -> dict[UUID, ActiveSession]:
        if not session_ids:
            return {}
        rows = await self._pool.fetch(_ACTIVE, list(session_ids))
        return {row[0]: _session(row) for row in rows}

    def forget(self, session_id: UUID) -> None:
        """Nothing is cached here."""

    def forget_user(self, user_id: UUID) -> None:
        """Nothing is cached here."""


def _session(row: Any) -> ActiveSession:
    return ActiveSession(session_id=row[0], user_id=row[1], role=_ROLES[row[2]])
