"""Event albums: the album, its photos (media items of the media pipeline), and what a user keeps
of them (access given by the password, recently opened, the collection)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

__all__ = [
    "Event",
    "EventLimits",
    "EventPhoto",
    "EventVisibility",
    "RecentEvent",
    "SavedPhoto",
]


class EventVisibility(StrEnum):
    """``public``: found by anyone's search; ``unlisted``: opened by whoever has its link, never
    listed to others; ``private``: closed to new guests (its organiser and the guests who already
    opened it keep seeing it; to anyone else it does not exist). A password, when set, is asked
    of every new guest of a public or unlisted event."""

    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"


@dataclass(frozen=True, slots=True)
class Event:
    id: UUID
    owner_id: UUID
    """The organiser: whoever created it (moderators and admins may manage it too)."""
    title: str
    event_date: date
    visibility: EventVisibility
    password_hash: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None


@dataclass(frozen=True, slots=True)
class EventPhoto:
    """A media item attached to an event; its id is the media item's."""

    media_id: UUID
    event_id: UUID
    position: int
    """Upload order within the event (the order photos are listed in)."""
    added_at: datetime


@dataclass(frozen=True, slots=True)
class RecentEvent:
    event: Event
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class SavedPhoto:
    """A photo in a user's collection."""

    photo: EventPhoto
    saved_at: datetime


@dataclass(frozen=True, slots=True)
class EventLimits:
    title_max: int = 200
    password_min: int = 4
    password_max: int = 128
    photos_per_request: int = 100
    """The most photos one request uploads, attaches, removes or bookmarks."""
    recent_kept: int = 50
    """How many recently opened events each user keeps (older ones are forgotten)."""
    password_attempts: int = 5
    """Wrong passwords a user may give one event per ``password_window_s``."""
    password_window_s: int = 900
