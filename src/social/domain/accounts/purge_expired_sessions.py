"""Forget refresh tokens and sessions nobody can use any more (a periodic job)."""

from __future__ import annotations

from social.domain.accounts.ports import UnitOfWorkFactory
from social.domain.shared.clock import Clock

__all__ = ["PurgeExpiredSessions"]


class PurgeExpiredSessions:
    """Rules: a refresh token past its expiry can never be used again, so its hash is deleted;
    a session is deleted once it has no tokens left. Idempotent."""

    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self) -> int:
        async with self._uow() as uow:
            removed = await uow.sessions.delete_expired(self._clock.now())
            await uow.commit()
        return removed
