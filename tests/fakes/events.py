"""The event albums store (``domain/events/ports.py``) on a unit of work's copy of the fake
database, with PostgreSQL's observable rules: keyset pages in the same orders, a photo in one
event at most, and the cascades of the foreign keys (an event's photos, access, recent entries
and bookmarks go with it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.events.model import Event, EventPhoto, EventVisibility, RecentEvent, SavedPhoto
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor, page_of

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryEventRepository", "forget_photos"]


def forget_photos(work: AccountsStore, media_ids: Iterable[UUID]) -> None:
    """What the foreign keys do when photos go: their bookmarks go too."""
    gone = set(media_ids)
    for media_id in gone:
        work.event_photos.pop(media_id, None)
    for key in [k for k in work.photo_bookmarks if k[1] in gone]:
        del work.photo_bookmarks[key]


class InMemoryEventRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add(self, event: Event) -> None:
        self._w.events[event.id] = event

    async def get(self, event_id: UUID) -> Event | None:
        return self._w.events.get(event_id)

    async def update(self, event: Event) -> None:
        if event.id not in self._w.events:
            raise LookupError(f"event {event.id} vanished during an update")
        self._w.events[event.id] = event

    async def delete(self, event_id: UUID) -> bool:
        if self._w.events.pop(event_id, None) is None:
            return False
        forget_photos(self._w, await self.photo_ids(event_id))
        for table in (self._w.event_access, self._w.event_recent):
            for key in [k for k in table if k[1] == event_id]:
                del table[key]
        return True

    async def search(
        self, user_id: UUID, text: str, page: PageRequest[Cursor]
    ) -> Page[Event, Cursor]:
        needle = text.casefold()
        found = sorted(
            (
                e
                for e in self._w.events.values()
                if (e.owner_id == user_id or e.visibility is EventVisibility.PUBLIC)
                and needle in e.title.casefold()
                and (page.after is None or (e.created_at, e.id) < (page.after.at, page.after.id))
            ),
            key=lambda e: (e.created_at, e.id),
            reverse=True,
        )
        return page_of(found[: page.limit + 1], page.limit, lambda e: e, _event_cursor)

    def _photos_of(self, event_id: UUID) -> list[EventPhoto]:
        return sorted(
            (p for p in self._w.event_photos.values() if p.event_id == event_id),
            key=lambda p: (p.position, p.media_id),
        )

    async def photo_ids(self, event_id: UUID) -> list[UUID]:
        return [p.media_id for p in self._photos_of(event_id)]

    async def events_of(self, media_ids: Iterable[UUID]) -> dict[UUID, EventPhoto]:
        return {m: self._w.event_photos[m] for m in media_ids if m in self._w.event_photos}

    async def add_photos(self, event_id: UUID, media_ids: Iterable[UUID], now: datetime) -> None:
        start = max((p.position for p in self._photos_of(event_id)), default=0) + 1
        for i, media_id in enumerate(media_ids):
            if media_id not in self._w.event_photos:
                self._w.event_photos[media_id] = EventPhoto(media_id, event_id, start + i, now)

    async def remove_photos(self, event_id: UUID, media_ids: Iterable[UUID]) -> list[UUID]:
        mine = {p.media_id for p in self._photos_of(event_id)}
        removed = [m for m in dict.fromkeys(media_ids) if m in mine]
        forget_photos(self._w, removed)
        return removed

    async def photos(
        self, event_id: UUID, page: PageRequest[RankCursor]
    ) -> Page[EventPhoto, RankCursor]:
        after = page.after
        rows = [
            p
            for p in self._photos_of(event_id)
            if after is None or (p.position, p.media_id) > (int(after.rank), after.id)
        ]
        return page_of(
            rows[: page.limit + 1],
            page.limit,
            lambda p: p,
            lambda p: RankCursor(p.position, p.media_id),
        )

    async def grant(self, user_id: UUID, event_id: UUID, now: datetime) -> None:
        self._w.event_access.setdefault((user_id, event_id), now)

    async def granted(self, user_id: UUID, event_ids: Iterable[UUID]) -> set[UUID]:
        return {e for e in event_ids if (user_id, e) in self._w.event_access}

    async def revoke_all(self, event_id: UUID) -> None:
        for key in [k for k in self._w.event_access if k[1] == event_id]:
            del self._w.event_access[key]

    async def record_opened(self, user_id: UUID, event_id: UUID, now: datetime, keep: int) -> None:
        recent = self._w.event_recent
        recent[(user_id, event_id)] = now
        mine = sorted(((at, e) for (u, e), at in recent.items() if u == user_id), reverse=True)
        for _, stale in mine[keep:]:
            del recent[(user_id, stale)]

    async def recent(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[RecentEvent, Cursor]:
        after = page.after
        rows = sorted(
            (
                RecentEvent(self._w.events[e], at)
                for (u, e), at in self._w.event_recent.items()
                if u == user_id
                and e in self._w.events
                and (after is None or (at, e) < (after.at, after.id))
            ),
            key=lambda r: (r.opened_at, r.event.id),
            reverse=True,
        )
        return page_of(
            rows[: page.limit + 1],
            page.limit,
            lambda r: r,
            lambda r: Cursor(r.opened_at, r.event.id),
        )

    async def bookmark(self, user_id: UUID, media_ids: Iterable[UUID], now: datetime) -> int:
        added = 0
        for media_id in dict.fromkeys(media_ids):
            if media_id not in self._w.event_photos:
                raise LookupError(f"{media_id} is not a photo (a foreign key would refuse it)")
            if (user_id, media_id) not in self._w.photo_bookmarks:
                self._w.photo_bookmarks[(user_id, media_id)] = now
                added += 1
        return added

    async def unbookmark(self, user_id: UUID, media_ids: Iterable[UUID]) -> int:
        removed = 0
        for media_id in set(media_ids):
            if self._w.photo_bookmarks.pop((user_id, media_id), None) is not None:
                removed += 1
        return removed

    async def collection(
        self, user_id: UUID, page: PageRequest[Cursor]
    ) -> Page[SavedPhoto, Cursor]:
        after = page.after
        rows = sorted(
            (
                SavedPhoto(self._w.event_photos[m], at)
                for (u, m), at in self._w.photo_bookmarks.items()
                if u == user_id and (after is None or (at, m) < (after.at, after.id))
            ),
            key=lambda s: (s.saved_at, s.photo.media_id),
            reverse=True,
        )
        return page_of(
            rows[: page.limit + 1],
            page.limit,
            lambda s: s,
            lambda s: Cursor(s.saved_at, s.photo.media_id),
        )


def _event_cursor(event: Event) -> Cursor:
    return Cursor(event.created_at, event.id)
