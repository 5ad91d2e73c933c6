"""Usage figures for admins: requests per client and day, and the busiest clients."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from social.domain.activity.model import (
    USAGE_DAYS,
    ClientDailyUsage,
    ClientRequests,
    DayCount,
    usage_days,
)
from social.domain.activity.ports import ActivityUnitOfWorkFactory
from social.domain.moderation.policy import require_admin
from social.domain.shared.caching import ExpiringCache
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["DailyUsage", "TopClients"]


class DailyUsage:
    """Rules: admins only; requests per UTC day over the last seven days (today included),
    oldest first, every day present with zeros; one client, or every registered client (oldest
    first, revoked ones too). Requests sent without a key belong to no client. Answers are
    cached for ``cache_ttl``, so they may lag the log by that much (and by its flush interval)."""

    def __init__(
        self, *, uow: ActivityUnitOfWorkFactory, clock: Clock, cache_ttl: timedelta
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._cache: ExpiringCache[tuple[UUID | None, date], list[ClientDailyUsage]] = (
            ExpiringCache(clock, cache_ttl, max_entries=1000)
        )

    async def execute(
        self, viewer: Viewer, client_id: UUID | None = None
    ) -> list[ClientDailyUsage]:
        require_admin(viewer)
        days, since = usage_days(self._clock.now(), USAGE_DAYS)
        key = (client_id, days[-1])
        cached, result = self._cache.get(key)
        if cached and result is not None:
            return result
        async with self._uow() as uow:
            if client_id is None:
                clients = await uow.api_clients.all()
            else:
                client = await uow.api_clients.get(client_id)
                if client is None:
                    raise NotFound("No such API client.")
                clients = [client]
            counts = await uow.activity.daily_counts(since, client_id)
        result = [
            ClientDailyUsage(
                client_id=c.id,
                name=c.name,
                days=tuple(DayCount(day, counts.get((c.id, day), 0)) for day in days),
            )
            for c in clients
        ]
        self._cache.put(key, result)
        return result


class TopClients:
    """Rules: admins only; the ``limit`` clients with the most requests in the last ``window``
    (24 hours), most first, ties by id; clients without requests are not listed. Cached for
    ``cache_ttl``."""

    def __init__(
        self,
        *,
        uow: ActivityUnitOfWorkFactory,
        clock: Clock,
        cache_ttl: timedelta,
        window: timedelta = timedelta(hours=24),
        limit: int = 3,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._window = window
        self._limit = limit
        self._cache: ExpiringCache[None, list[ClientRequests]] = ExpiringCache(clock, cache_ttl)

    async def execute(self, viewer: Viewer) -> list[ClientRequests]:
        require_admin(viewer)
        cached, result = self._cache.get(None)
        if cached and result is not None:
            return result
        async with self._uow() as uow:
            top = await uow.activity.top_clients(self._clock.now() - self._window, self._limit)
            names = {c.id: c.name for c in await uow.api_clients.all()}
        result = [
            ClientRequests(client_id, names[client_id], requests)
            for client_id, requests in top
            if client_id in names
        ]
        self._cache.put(None, result)
        return result
