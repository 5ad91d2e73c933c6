"""Computing suggested accounts into the per-user store (DISC-1): for one user (the job graph
changes queue), and for the users whose suggestions went stale (a periodic job)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from social.domain.discovery.account_suggestions import CandidateBounds, rank_suggestions
from social.domain.discovery.ports import DiscoveryUnitOfWorkFactory
from social.domain.shared.clock import Clock

__all__ = ["ComputeAccountSuggestions", "RefreshStaleSuggestions"]


class ComputeAccountSuggestions:
    """Rules: the candidates of the three sources, within the bounds, ranked
    (``account_suggestions.py``); the best ``keep`` are stored in place of the previous ones,
    with the time of the run. An account no longer active has its suggestions dropped instead.
    Idempotent: running it again stores the same list (for the same graph)."""

    def __init__(
        self,
        *,
        uow: DiscoveryUnitOfWorkFactory,
        clock: Clock,
        keep: int,
        bounds: CandidateBounds | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._keep = keep
        self._bounds = bounds or replace(
            CandidateBounds(), friends=3 * keep, per_tag=keep, active=keep
        )

    async def execute(self, user_id: UUID) -> int:
        """How many suggestions were stored."""
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or not user.is_active:
                await uow.suggestions.forget([user_id])
                await uow.commit()
                return 0
            candidates = await uow.suggestions.candidates(user_id, self._bounds)
            ranked = rank_suggestions(candidates, self._keep)
            await uow.suggestions.replace(user_id, ranked, self._clock.now())
            await uow.commit()
        return len(ranked)


class RefreshStaleSuggestions:
    """Rules: suggestions older than ``refresh_after`` are computed again for users who used a
    session within ``active_within``; an idle user's are dropped instead (they count as never
    computed, so their next read computes them). At most ``batches`` batches of ``batch``
    users a run, oldest first, so one run is bounded and the next one carries on."""

    def __init__(
        self,
        *,
        uow: DiscoveryUnitOfWorkFactory,
        compute: ComputeAccountSuggestions,
        clock: Clock,
        refresh_after: timedelta,
        active_within: timedelta = timedelta(days=30),
        batch: int = 100,
        batches: int = 10,
    ) -> None:
        self._uow = uow
        self._compute = compute
        self._clock = clock
        self._refresh_after = refresh_after
        self._active_within = active_within
        self._batch = batch
        self._batches = batches

    async def execute(self) -> int:
        """How many users' suggestions were computed again."""
        refreshed = 0
        for _ in range(self._batches):
            now = self._clock.now()
            async with self._uow() as uow:
                stale = await uow.suggestions.stale(
                    now - self._refresh_after, now - self._active_within, self._batch
                )
                if stale.idle:
                    await uow.suggestions.forget(stale.idle)
                    await uow.commit()
            for user_id in stale.active:
                await self._compute.execute(user_id)
                refreshed += 1
            if len(stale) < self._batch:
                break
        return refreshed
