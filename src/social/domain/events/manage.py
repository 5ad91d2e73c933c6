"""An organiser's albums: create, change, delete, read one, and search (EVT-1).

Any signed-in user may organise events: an album belongs to whoever created it (the seed's
"admin" is the organiser of the event, not a role of the site), and moderators and admins may
manage any album as they moderate any post."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from social.domain.accounts.ports import PasswordHasher
from social.domain.events.access import EventView, find_event, managed_event, viewable
from social.domain.events.model import Event, EventLimits, EventVisibility
from social.domain.events.ports import EventsUnitOfWork, EventsUnitOfWorkFactory
from social.domain.media.jobs import DiscardPostMedia
from social.domain.shared.clock import Clock
from social.domain.shared.errors import ErrorCollector, Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = [
    "CreateEvent",
    "DeleteEvent",
    "EventChanges",
    "GetEvent",
    "NewEvent",
    "SearchEvents",
    "UpdateEvent",
    "discard_photos",
]

DISCARD_BATCH = 500


@dataclass(frozen=True, slots=True)
class NewEvent:
    title: str
    event_date: date
    visibility: EventVisibility = EventVisibility.UNLISTED
    password: str | None = None


@dataclass(frozen=True, slots=True)
class EventChanges:
    """What to change; ``None`` keeps a field. ``change_password`` with ``password=None``
    removes the password."""

    title: str | None = None
    event_date: date | None = None
    visibility: EventVisibility | None = None
    change_password: bool = False
    password: str | None = None


def _title(text: str, limits: EventLimits) -> str:
    title = unicodedata.normalize("NFC", " ".join(text.split()))
    if not 1 <= len(title) <= limits.title_max:
        raise Invalid.field("title", f"must have 1 to {limits.title_max} characters")
    return title


def _password(password: str, limits: EventLimits) -> str:
    if not limits.password_min <= len(password) <= limits.password_max:
        raise Invalid.field(
            "password",
            f"must have {limits.password_min} to {limits.password_max} characters",
        )
    return password


class CreateEvent:
    """Rules: a title (spaces collapsed, 1 to 200 characters), the event's date, a visibility
    (unlisted by default) and an optional password (4 to 128 characters), stored only as a
    hash made like account passwords'."""

    def __init__(
        self,
        *,
        uow: EventsUnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        limits: EventLimits,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer, new: NewEvent) -> EventView:
        collector = ErrorCollector()
        title = collector.check(lambda: _title(new.title, self._limits), "")
        password = (
            collector.check(lambda: _password(new.password or "", self._limits), None)
            if new.password is not None
            else None
        )
        collector.raise_if_any()
        hashed = await self._hasher.hash(password) if password is not None else None
        now = self._clock.now()
        event = Event(
            new_id(), viewer.user_id, title, new.event_date, new.visibility, hashed, now, now
        )
        async with self._uow() as uow:
            await uow.events.add(event)
            await uow.commit()
        return EventView(event, can_manage=True, granted=False)


class UpdateEvent:
    """Rules: only the organiser (or staff) changes an event; the same checks as creating it.
    A new or removed password forgets every guest's access: guests give the new one."""

    def __init__(
        self,
        *,
        uow: EventsUnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        limits: EventLimits,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer, event_id: UUID, changes: EventChanges) -> EventView:
        collector = ErrorCollector()
        title = (
            collector.check(lambda: _title(changes.title or "", self._limits), None)
            if changes.title is not None
            else None
        )
        password = changes.password if changes.change_password else None
        if password is not None:
            collector.check(lambda: _password(password, self._limits), None)
        collector.raise_if_any()
        hashed = await self._hasher.hash(password) if password is not None else None
        async with self._uow() as uow:
            event = await managed_event(uow, viewer, event_id)
            event = replace(
                event,
                title=title or event.title,
                event_date=changes.event_date or event.event_date,
                visibility=changes.visibility or event.visibility,
                password_hash=hashed if changes.change_password else event.password_hash,
                updated_at=self._clock.now(),
            )
            await uow.events.update(event)
            if changes.change_password:
                await uow.events.revoke_all(event.id)
            await uow.commit()
        return EventView(event, can_manage=True, granted=False)


async def discard_photos(uow: EventsUnitOfWork, media_ids: list[UUID]) -> None:
    """Queue the removal of detached photos' media, as a deleted post's media is removed; an
    item a post shows too stays (the post still needs it)."""
    in_posts = await uow.posts.attached_media(media_ids) if media_ids else set()
    doomed = [m for m in media_ids if m not in in_posts]
    for start in range(0, len(doomed), DISCARD_BATCH):
        await uow.jobs.enqueue(DiscardPostMedia(tuple(doomed[start : start + DISCARD_BATCH])))


class DeleteEvent:
    """Rules: only the organiser (or staff); the event, its guests' access, recent entries and
    bookmarks go at once, its photos' media by a job (stored objects, then records)."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, event_id: UUID) -> None:
        async with self._uow() as uow:
            event = await managed_event(uow, viewer, event_id)
            photos = await uow.events.photo_ids(event.id)
            if not await uow.events.delete(event.id):
                raise NotFound("No such event.")
            await discard_photos(uow, photos)
            await uow.commit()


class GetEvent:
    """Rules: an event is seen as ``find_event`` allows (hidden ones are not found); a
    password-protected one shows its title and date, not its photos, until opened."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, event_id: UUID) -> EventView:
        async with self._uow() as uow:
            return await find_event(uow, viewer, event_id)


class SearchEvents:
    """Rules: the viewer's own events and everyone's public ones whose title contains the text
    (case-insensitive), newest first; events hidden from the viewer are left out."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory, limits: EventLimits) -> None:
        self._uow = uow
        self._limits = limits

    async def execute(
        self, viewer: Viewer, text: str, page: PageRequest[Cursor]
    ) -> Page[EventView, Cursor]:
        query = " ".join(text.split())
        if len(query) > self._limits.title_max:
            raise Invalid.field("q", f"must have at most {self._limits.title_max} characters")
        async with self._uow() as uow:
            found = await uow.events.search(viewer.user_id, query, page)
            return Page(await viewable(uow, viewer, found.items), found.next_cursor)
