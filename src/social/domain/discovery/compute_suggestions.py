"""Computing suggested accounts into the per-user store (DISC-1): for one user, at most once a
debounce interval for the refreshes graph changes queue, and for the users whose suggestions
went stale (a periodic job)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from social.domain.discovery.account_suggestions import CandidateBounds, rank_suggestions
from social.domain.discovery.ports import DiscoveryUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.jobs import RefreshAccountSuggestions
from social.domain.shared.ports import DelayedJobQueue

__all__ = ["ComputeAccountSuggestions", "DebounceSuggestionRefresh", "RefreshStaleSuggestions"]


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

    async def execute(self, user_id: UUID, at: datetime | None = None) -> int:
        """How many suggestions were stored; ``at``: the time the run is recorded at (when it
        was claimed; now by default)."""
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or not user.is_active:
                await uow.suggestions.forget([user_id])
                await uow.commit()
                return 0
            candidates = await uow.suggestions.candidates(user_id, self._bounds)
            ranked = rank_suggestions(candidates, self._keep)
            await uow.suggestions.replace(user_id, ranked, at or self._clock.now())
            await uow.commit()
        return len(ranked)


class DebounceSuggestionRefresh:
    """Rules: a refresh queued by a graph change (``RefreshAccountSuggestions``) computes the
    user's suggestions at most once per ``debounce``. When the last computation is at least
    that old (or there was none), this one is claimed at once (recorded with the time it
    starts, in its own short transaction, so a refresh arriving meanwhile already sees it) and
    computed. Otherwise it is put off: one refresh is queued for the end of the interval (last
    computation + ``debounce``), the same for every refresh that arrives before then, so a burst
    of follows costs one computation now and one when the interval ends, and that last one sees
    every change of the burst. A put-off refresh computes when it runs unless another
    computation was made since (then the rule above applies again, from that one).

    Nothing is lost: the stored list is filtered again at read time (a follow, block or mute
    takes effect at once), so putting a refresh off only delays new candidates. A computation
    that fails after its claim is retried as a put-off refresh. An account no longer active has
    its suggestions dropped at once (``ComputeAccountSuggestions``). A ``debounce`` of zero
    computes every time."""

    def __init__(
        self,
        *,
        uow: DiscoveryUnitOfWorkFactory,
        compute: ComputeAccountSuggestions,
        jobs: DelayedJobQueue,
        clock: Clock,
        debounce: timedelta,
    ) -> None:
        self._uow = uow
        self._compute = compute
        self._jobs = jobs
        self._clock = clock
        self._debounce = max(debounce, timedelta(0))

    async def execute(self, user_id: UUID, since: datetime | None = None) -> int | None:
        """How many suggestions were stored; ``None`` when the refresh was put off. ``since``:
        the computation a put-off refresh waited out (``RefreshAccountSuggestions.since``)."""
        now = self._clock.now()
        unless_after = now - self._debounce
        if since is not None:
            unless_after = max(unless_after, since)
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            active = user is not None and user.is_active
            last = await uow.suggestions.claim_run(user_id, now, unless_after) if active else None
            await uow.commit()
        if last is None:
            return await self._compute.execute(user_id, at=now if active else None)
        later = RefreshAccountSuggestions(user_id, since=last)
        await self._jobs.enqueue_at(later, last + self._debounce)
        return None


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
