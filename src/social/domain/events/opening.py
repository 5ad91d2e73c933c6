"""A guest opens an event (with its password when it has one) and finds it again among their
recently opened events."""

from __future__ import annotations

from uuid import UUID

from social.domain.accounts.ports import PasswordHasher
from social.domain.accounts.throttle import throttle
from social.domain.events.access import EventView, find_event, viewable
from social.domain.events.errors import WrongEventPassword
from social.domain.events.model import EventLimits, RecentEvent
from social.domain.events.ports import EventsUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest
from social.domain.shared.rate_limits import RateLimit, RateLimiter

__all__ = ["ListRecentEvents", "OpenEvent"]


class OpenEvent:
    """Rules: a guest of a password-protected event gives its password once: the access is
    remembered for their account (until the organiser changes the password). Password checks
    are limited per user and event (5 per 15 minutes by default: 429 past them), counted
    before the check so guessing costs the same whether right or wrong. The organiser, staff,
    guests already granted and everyone for an event without password need none. Every
    opening moves the event to the top of the user's recently opened events."""

    def __init__(
        self,
        *,
        uow: EventsUnitOfWorkFactory,
        hasher: PasswordHasher,
        limiter: RateLimiter,
        clock: Clock,
        limits: EventLimits,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._limiter = limiter
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer, event_id: UUID, password: str | None) -> EventView:
        async with self._uow() as uow:
            view = await find_event(uow, viewer, event_id)
        event = view.event
        grant = False
        if not view.can_view_photos:
            assert event.password_hash is not None  # only a password keeps a viewer out
            rule = RateLimit(self._limits.password_attempts, self._limits.password_window_s)
            key = f"event-password:{viewer.user_id}:{event.id}"
            await throttle(self._limiter, key, rule, "Too many wrong passwords; try later.")
            if not password or not await self._hasher.verify(event.password_hash, password):
                raise WrongEventPassword("That is not this event's password.")
            grant = True
        now = self._clock.now()
        async with self._uow() as uow:
            view = await find_event(uow, viewer, event_id)  # not deleted or hidden meanwhile
            if grant:
                await uow.events.grant(viewer.user_id, event.id, now)
            await uow.events.record_opened(viewer.user_id, event.id, now, self._limits.recent_kept)
            await uow.commit()
        return EventView(view.event, can_manage=view.can_manage, granted=view.granted or grant)


class ListRecentEvents:
    """Rules: the events the viewer opened, latest first (the latest 50 are kept); events since
    hidden from them are left out."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, viewer: Viewer, page: PageRequest[Cursor]
    ) -> Page[tuple[RecentEvent, EventView], Cursor]:
        async with self._uow() as uow:
            found = await uow.events.recent(viewer.user_id, page)
            views = {
                v.event.id: v for v in await viewable(uow, viewer, [r.event for r in found.items])
            }
        items = [(r, views[r.event.id]) for r in found.items if r.event.id in views]
        return Page(items, found.next_cursor)
