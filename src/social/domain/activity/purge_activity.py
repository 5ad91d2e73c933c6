"""The activity log's retention: entries older than the retention period are deleted."""

from __future__ import annotations

from datetime import timedelta

from social.domain.activity.ports import ActivityUnitOfWorkFactory
from social.domain.shared.clock import Clock

__all__ = ["PurgeOldActivity"]


class PurgeOldActivity:
    """Rules: entries older than ``retention`` go, ``batch`` rows a transaction (short
    transactions and locks on a big table); idempotent, so a retried run just finds less."""

    def __init__(
        self,
        *,
        uow: ActivityUnitOfWorkFactory,
        clock: Clock,
        retention: timedelta,
        batch: int = 10_000,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._retention = retention
        self._batch = batch

    async def execute(self) -> int:
        cutoff = self._clock.now() - self._retention
        removed = 0
        while True:
            async with self._uow() as uow:
                deleted = await uow.activity.delete_before(cutoff, self._batch)
                await uow.commit()
            removed += deleted
            if deleted < self._batch:
                return removed
