"""Forget mailed tokens and username holds nobody can use any more (a periodic job)."""

from __future__ import annotations

from social.domain.accounts.ports import UnitOfWorkFactory
from social.domain.shared.clock import Clock

__all__ = ["PurgeExpiredAccountRecords"]


class PurgeExpiredAccountRecords:
    """Rules: a one-time token past its expiry can never be used, and a username hold past its
    end holds nothing: both are deleted. Idempotent."""

    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self) -> int:
        now = self._clock.now()
        async with self._uow() as uow:
            removed = await uow.account_tokens.delete_expired(now)
            removed += await uow.username_holds.release_expired(now)
            await uow.commit()
        return removed
