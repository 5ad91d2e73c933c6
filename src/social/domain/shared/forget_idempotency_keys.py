"""Forget old ``Idempotency-Key``s: a client retries within minutes, not weeks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from social.domain.shared.clock import Clock
from social.domain.shared.ports import IdempotencyUnitOfWork

__all__ = ["ForgetIdempotencyKeys"]


class ForgetIdempotencyKeys:
    """Rules: a key is kept for ``keep`` (a day by default), so a retry within it returns the
    first result; after that the same key makes a new resource. Deleted in batches, each its own
    short transaction. Idempotent."""

    def __init__(
        self,
        *,
        uow: Callable[[], IdempotencyUnitOfWork],
        clock: Clock,
        keep: timedelta,
        batch: int = 5000,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._keep = keep
        self._batch = batch

    async def execute(self) -> int:
        cutoff = self._clock.now() - self._keep
        removed = 0
        while True:
            async with self._uow() as uow:
                gone = await uow.idempotency.forget_before(cutoff, self._batch)
                await uow.commit()
            removed += gone
            if gone < self._batch:
                return removed
