"""The ``Post`` object and the bodies that create and edit posts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.media.schemas import MediaOut
from social.adapters.http.pagination import encode_cursor
from social.adapters.http.users.schemas import UserOut, user_out
from social.domain.posts.views import PostView
from social.domain.shared.pagination import Page

__all__ = [
    "PlaceIn",
    "PlaceOut",
    "PostCreateIn",
    "PostOut",
    "PostPageOut",
    "PostUpdateIn",
    "post_out",
    "post_page_out",
]


class PlaceIn(msgspec.Struct, kw_only=True):
    name: Annotated[str, Meta(max_length=500)]
    latitude: float
    longitude: float


class PlaceOut(msgspec.Struct, kw_only=True):
    name: str
    latitude: float
    longitude: float


class PostCreateIn(msgspec.Struct, kw_only=True):
    caption: Annotated[str, Meta(max_length=20_000)] = ""
    media_ids: Annotated[list[UUID], Meta(max_length=100)]
    tags: Annotated[list[Annotated[str, Meta(max_length=200)]], Meta(max_length=300)] = []
    place: PlaceIn | None = None
    comments_enabled: bool = True


class PostUpdateIn(msgspec.Struct, kw_only=True):
    """Fields left out stay; ``place: null`` removes the place."""

    caption: Annotated[str, Meta(max_length=20_000)] | UnsetType = UNSET
    tags: (
        Annotated[list[Annotated[str, Meta(max_length=200)]], Meta(max_length=300)] | UnsetType
    ) = UNSET
    place: PlaceIn | UnsetType | None = UNSET
    comments_enabled: bool | UnsetType = UNSET


class PostOut(msgspec.Struct, kw_only=True):
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


async def post_out(view: PostView, media: MediaPresenter) -> PostOut:
    post = view.post
    author = await user_out(view.author, media)
    items = [await media.media_out(m) for m in view.media]
    place = post.place
    return PostOut(
        id=post.id,
        author=author,
        caption=post.caption,
        tags=list(post.tags),
        mentions=list(post.mentions),
        place=PlaceOut(name=place.name, latitude=place.latitude, longitude=place.longitude)
        if place
        else None,
        media=list(items),
        likes_count=post.likes_count,
        comments_count=post.comments_count,
        shares_count=post.shares_count,
        liked=view.liked,
        bookmarked=view.bookmarked,
        shared=view.shared,
        comments_enabled=post.comments_enabled,
        created_at=post.created_at,
        edited_at=post.edited_at,
    )


class PostPageOut(msgspec.Struct, kw_only=True):
    items: list[PostOut]
    next_cursor: str | None


async def post_page_out(page: Page[PostView], media: MediaPresenter) -> PostPageOut:
    items = [await post_out(view, media) for view in page.items]
    cursor = encode_cursor(page.next_cursor)
    return PostPageOut(items=list(items), next_cursor=cursor)
