"""The bodies and answers of the event album endpoints, and how domain views become them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.media.schemas import MediaOut
from social.adapters.http.request_body import RequestBody
from social.adapters.http.request_limits import VISIBLE
from social.domain.events.access import EventView
from social.domain.events.collection import SavedPhotoView
from social.domain.events.model import EventLimits
from social.domain.events.photos import PhotoView

__all__ = [
    "EventCreateIn",
    "EventOut",
    "EventPageOut",
    "EventUpdateIn",
    "OpenEventIn",
    "PhotoIds",
    "PhotoIdsIn",
    "PhotoOut",
    "PhotoPageOut",
    "RecentEventOut",
    "RecentEventPageOut",
    "RejectedFileOut",
    "SavedPhotoOut",
    "SavedPhotoPageOut",
    "UploadedPhotosOut",
    "event_out",
    "photo_out",
]

_LIMITS = EventLimits()
Title = Annotated[str, Meta(min_length=1, max_length=_LIMITS.title_max, pattern=VISIBLE)]
Password = Annotated[str, Meta(min_length=_LIMITS.password_min, max_length=_LIMITS.password_max)]
Visibility = Literal["public", "unlisted", "private"]
PhotoIds = Annotated[
    list[UUID],
    Meta(
        min_length=1,
        max_length=_LIMITS.photos_per_request,
        extra_json_schema={"uniqueItems": True},
        description="Different photos (media ids)",
    ),
]


class EventCreateIn(RequestBody, kw_only=True):
    title: Title
    event_date: date
    visibility: Visibility = "unlisted"
    password: Password | None = None


class EventUpdateIn(RequestBody, kw_only=True):
    """Fields left out stay; ``password: null`` removes the password."""

    title: Title | UnsetType = UNSET
    event_date: date | UnsetType = UNSET
    visibility: Visibility | UnsetType = UNSET
    password: Password | UnsetType | None = UNSET


class OpenEventIn(RequestBody, kw_only=True):
    password: Annotated[str, Meta(max_length=_LIMITS.password_max)] | None = None


class PhotoIdsIn(RequestBody, kw_only=True):
    media_ids: PhotoIds


class EventOut(msgspec.Struct, kw_only=True):
    id: UUID
    owner_id: UUID
    title: str
    event_date: date
    visibility: Visibility
    has_password: bool
    can_manage: bool
    """The caller organises the event (or is staff)."""
    can_view_photos: bool
    """False until the caller gives the password (POST /events/{id}/open)."""
    created_at: datetime
    updated_at: datetime


class EventPageOut(msgspec.Struct, kw_only=True):
    items: list[EventOut]
    next_cursor: str | None


class PhotoOut(msgspec.Struct, kw_only=True):
    id: UUID
    """The photo's media id."""
    event_id: UUID
    position: int
    added_at: datetime
    media: MediaOut


class PhotoPageOut(msgspec.Struct, kw_only=True):
    items: list[PhotoOut]
    next_cursor: str | None


class RejectedFileOut(msgspec.Struct, kw_only=True):
    filename: str
    detail: str


class UploadedPhotosOut(msgspec.Struct, kw_only=True):
    items: list[PhotoOut]
    rejected: list[RejectedFileOut]


class RecentEventOut(msgspec.Struct, kw_only=True):
    event: EventOut
    opened_at: datetime


class RecentEventPageOut(msgspec.Struct, kw_only=True):
    items: list[RecentEventOut]
    next_cursor: str | None


class SavedPhotoOut(msgspec.Struct, kw_only=True):
    photo: PhotoOut
    saved_at: datetime


class SavedPhotoPageOut(msgspec.Struct, kw_only=True):
    items: list[SavedPhotoOut]
    next_cursor: str | None


def event_out(view: EventView) -> EventOut:
    e = view.event
    return EventOut(
        id=e.id,
        owner_id=e.owner_id,
        title=e.title,
        event_date=e.event_date,
        visibility=e.visibility.value,
        has_password=e.has_password,
        can_manage=view.can_manage,
        can_view_photos=view.can_view_photos,
        created_at=e.created_at,
        updated_at=e.updated_at,
    )


async def photo_out(view: PhotoView | SavedPhotoView, media: MediaPresenter) -> PhotoOut:
    photo = view.saved.photo if isinstance(view, SavedPhotoView) else view.photo
    return PhotoOut(
        id=photo.media_id,
        event_id=photo.event_id,
        position=photo.position,
        added_at=photo.added_at,
        media=await media.media_out(view.media),
    )
