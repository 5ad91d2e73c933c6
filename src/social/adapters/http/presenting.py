"""Posts and accounts as the API shows them, in two halves.

The read model caches the half that does not depend on the viewer and changes only with a
revision: a ``Post``'s or ``User``'s JSON object with its closing brace left off. What varies
(counters, privacy, the viewer's flags and relationship) is written after it for each
response. Both halves together are exactly ``PostOut`` and ``UserOut`` (a test decodes every
page into those types strictly).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.media.schemas import MediaOut
from social.adapters.http.posts.schemas import PlaceOut
from social.adapters.read_model.content import AccountContent, PostContent

__all__ = ["AccountContentOut", "JsonPresenter", "PostContentOut"]


class PostContentOut(msgspec.Struct, kw_only=True):
    """The cached half of ``PostOut``."""

    id: UUID
    caption: str
    tags: list[str]
    mentions: list[str]
    place: PlaceOut | None
    media: list[MediaOut]
    comments_enabled: bool
    created_at: datetime
    edited_at: datetime | None


class AccountContentOut(msgspec.Struct, kw_only=True):
    """The cached half of ``UserOut``."""

    id: UUID
    username: str
    display_name: str
    bio: str
    website: str | None
    avatar: MediaOut | None
    created_at: datetime


_encode = msgspec.json.Encoder().encode


class JsonPresenter:
    """Writes presentations with media URLs signed afresh (the cache entry expires long before
    they do)."""

    def __init__(self, media: MediaPresenter) -> None:
        self._media = media

    async def post(self, content: PostContent) -> bytes:
        place = content.place
        body = PostContentOut(
            id=content.id,
            caption=content.caption,
            tags=list(content.tags),
            mentions=list(content.mentions),
            place=PlaceOut(name=place.name, latitude=place.latitude, longitude=place.longitude)
            if place
            else None,
            media=[await self._media.media_out(item) for item in content.media],
            comments_enabled=content.comments_enabled,
            created_at=content.created_at,
            edited_at=content.edited_at,
        )
        return _encode(body)[:-1]

    async def account(self, content: AccountContent) -> bytes:
        body = AccountContentOut(
            id=content.id,
            username=content.username,
            display_name=content.display_name,
            bio=content.bio,
            website=content.website,
            avatar=await self._media.maybe(content.avatar),
            created_at=content.created_at,
        )
        return _encode(body)[:-1]
