"""The ``Post`` object and the bodies that create and edit posts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from social.adapters.http.media.schemas import MediaOut
from social.adapters.http.request_body import RequestBody
from social.adapters.http.request_limits import Caption, MediaIds, PlaceName, Tags
from social.adapters.http.users.schemas import UserOut

__all__ = [
    "PlaceIn",
    "PlaceOut",
    "PostCreateIn",
    "PostOut",
    "PostPageOut",
    "PostUpdateIn",
]


class PlaceIn(RequestBody, kw_only=True):
    name: PlaceName
    latitude: Annotated[float, Meta(ge=-90.0, le=90.0)]
    longitude: Annotated[float, Meta(ge=-180.0, le=180.0)]


class PlaceOut(msgspec.Struct, kw_only=True):
    name: str
    latitude: float
    longitude: float


class PostCreateIn(RequestBody, kw_only=True):
    caption: Caption = ""
    media_ids: MediaIds
    tags: Tags = []
    place: PlaceIn | None = None
    comments_enabled: bool = True


class PostUpdateIn(RequestBody, kw_only=True):
    """Fields left out stay; ``place: null`` removes the place."""

    caption: Caption | UnsetType = UNSET
    tags: Tags | UnsetType = UNSET
    place: PlaceIn | UnsetType | None = UNSET
    comments_enabled: bool | UnsetType = UNSET


class PostOut(msgspec.Struct, kw_only=True):
    """Documents a post; responses are written by ``adapters/http/cards.py`` from the read
    model (tests decode them strictly into this type)."""

    id: UUID
    author: UserOut
    caption: str
    tags: list[str]
    mentions: list[str]
    place: PlaceOut | None
    media: list[MediaOut]
    likes_count: int
    comments_count: int
    shares_count: int
    liked: bool
    bookmarked: bool
    shared: bool
    comments_enabled: bool
    created_at: datetime
    edited_at: datetime | None


class PostPageOut(msgspec.Struct, kw_only=True):
    items: list[PostOut]
    next_cursor: str | None
