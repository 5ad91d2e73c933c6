"""What the events context needs from storage."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.accounts.ports import UserRepository
from social.domain.events.model import Event, EventPhoto, RecentEvent, SavedPhoto
from social.domain.graph.ports import GraphRepository
from social.domain.media.ports import MediaRepository
from social.domain.posts.ports import PostRepository
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor
from social.domain.shared.ports import UnitOfWork

__all__ = ["EventRepository", "EventsUnitOfWork", "EventsUnitOfWorkFactory"]


class EventRepository(Protocol):
    async def add(self, event: Event) -> None: ...

    async def get(self, event_id: UUID) -> Event | None: ...

    async def update(self, event: Event) -> None:
        """Write back title, date, visibility, password hash and update time."""
        ...

    async def delete(self, event_id: UUID) -> bool:
        """Remove the event with its photo links, access, recent entries and bookmarks of its
        photos (not the media items: the caller discards them); ``False`` if it was gone."""
        ...

    async def search(
        self, user_id: UUID, text: str, page: PageRequest[Cursor]
    ) -> Page[Event, Cursor]:
        """The user's own events and everyone's public ones whose title contains ``text``
        (case-insensitive; empty: all), newest first."""
        ...

    async def photo_ids(self, event_id: UUID) -> list[UUID]:
        """The media ids of every photo of the event."""
        ...

    async def events_of(self, media_ids: Iterable[UUID]) -> dict[UUID, EventPhoto]:
        """The photos among these media ids, whatever their event."""
        ...

    async def add_photos(self, event_id: UUID, media_ids: Iterable[UUID], now: datetime) -> None:
        """Attach the media items after the event's last photo, in the given order."""
        ...

    async def remove_photos(self, event_id: UUID, media_ids: Iterable[UUID]) -> list[UUID]:
        """Detach those of the media ids that are the event's photos; the ones detached."""
        ...

    async def photos(
        self, event_id: UUID, page: PageRequest[RankCursor]
    ) -> Page[EventPhoto, RankCursor]:
        """The event's photos in upload order (the cursor's rank is the position)."""
        ...

    async def grant(self, user_id: UUID, event_id: UUID, now: datetime) -> None:
        """Remember that the user gave the password (again: nothing changes)."""
        ...

    async def granted(self, user_id: UUID, event_ids: Iterable[UUID]) -> set[UUID]:
        """Which of these events the user was granted."""
        ...

    async def revoke_all(self, event_id: UUID) -> None:
        """Forget every guest's access (the password changed)."""
        ...

    async def record_opened(self, user_id: UUID, event_id: UUID, now: datetime, keep: int) -> None:
        """Note the opening (moving the event to the top) and keep only the latest ``keep``."""
        ...

    async def recent(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[RecentEvent, Cursor]:
        """The user's recently opened events, latest first."""
        ...

    async def bookmark(self, user_id: UUID, media_ids: Iterable[UUID], now: datetime) -> int:
        """Add the photos to the user's collection (those already in stay); how many were new."""
        ...

    async def unbookmark(self, user_id: UUID, media_ids: Iterable[UUID]) -> int:
        """Take the photos out of the user's collection; how many were in it."""
        ...

    async def collection(
        self, user_id: UUID, page: PageRequest[Cursor]
    ) -> Page[SavedPhoto, Cursor]:
        """The user's bookmarked photos, latest bookmark first."""
        ...


class EventsUnitOfWork(UnitOfWork, Protocol):
    @property
    def users(self) -> UserRepository: ...

    @property
    def graph(self) -> GraphRepository: ...

    @property
    def media(self) -> MediaRepository: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def events(self) -> EventRepository: ...


EventsUnitOfWorkFactory = Callable[[], EventsUnitOfWork]
