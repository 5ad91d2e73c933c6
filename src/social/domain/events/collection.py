"""A user's collection ("Fotota"): photos of the events they may see, bookmarked in bulk and
removed in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from social.domain.events.access import viewable
from social.domain.events.model import EventLimits, SavedPhoto
from social.domain.events.ports import EventsUnitOfWorkFactory
from social.domain.media.model import MediaItem, MediaStatus
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["BookmarkPhotos", "ListCollection", "SavedPhotoView", "UnbookmarkPhotos"]


@dataclass(frozen=True, slots=True)
class SavedPhotoView:
    saved: SavedPhoto
    media: MediaItem


def _check(ids: Sequence[UUID], limits: EventLimits) -> None:
    if not 1 <= len(ids) <= limits.photos_per_request or len(set(ids)) != len(ids):
        raise Invalid.field(
            "photo_ids", f"must list 1 to {limits.photos_per_request} different photos"
        )


class BookmarkPhotos:
    """Rules: up to 100 photos at once, each a processed photo of an event whose photos the
    viewer may see (else 404 and nothing is added); bookmarking one again changes nothing."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory, clock: Clock, limits: EventLimits) -> None:
        self._uow = uow
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer, photo_ids: Sequence[UUID]) -> int:
        _check(photo_ids, self._limits)
        async with self._uow() as uow:
            photos = await uow.events.events_of(photo_ids)
            events = {p.event_id for p in photos.values()}
            found = [e for e in [await uow.events.get(i) for i in events] if e is not None]
            open_events = {
                v.event.id for v in await viewable(uow, viewer, found) if v.can_view_photos
            }
            items = await uow.media.get_many(photo_ids)
            for photo_id in photo_ids:
                photo, item = photos.get(photo_id), items.get(photo_id)
                if (
                    photo is None
                    or item is None
                    or photo.event_id not in open_events
                    or item.status is not MediaStatus.READY
                ):
                    raise NotFound(f"No such photo: {photo_id}.")
            added = await uow.events.bookmark(viewer.user_id, photo_ids, self._clock.now())
            await uow.commit()
        return added


class UnbookmarkPhotos:
    """Rules: up to 100 photos at once; ids not in the collection are ignored."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory, limits: EventLimits) -> None:
        self._uow = uow
        self._limits = limits

    async def execute(self, viewer: Viewer, photo_ids: Sequence[UUID]) -> int:
        _check(photo_ids, self._limits)
        async with self._uow() as uow:
            removed = await uow.events.unbookmark(viewer.user_id, photo_ids)
            await uow.commit()
        return removed


class ListCollection:
    """Rules: the viewer's bookmarked photos, latest first; photos of events since hidden or
    closed to them are left out (they come back if access returns)."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, viewer: Viewer, page: PageRequest[Cursor]
    ) -> Page[SavedPhotoView, Cursor]:
        async with self._uow() as uow:
            found = await uow.events.collection(viewer.user_id, page)
            ids = {s.photo.event_id for s in found.items}
            events = [e for e in [await uow.events.get(i) for i in ids] if e is not None]
            open_events = {
                v.event.id for v in await viewable(uow, viewer, events) if v.can_view_photos
            }
            items = await uow.media.get_many(s.photo.media_id for s in found.items)
        shown = [
            SavedPhotoView(s, items[s.photo.media_id])
            for s in found.items
            if s.photo.event_id in open_events and s.photo.media_id in items
        ]
        return Page(shown, found.next_cursor)
