"""What a presentation is made from, and the three parts the cache is assembled of."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.media.model import MediaItem
from social.domain.posts.model import Place

__all__ = [
    "AccountContent",
    "ContentSource",
    "PostContent",
    "PresentationStore",
    "Presenter",
]


@dataclass(frozen=True, slots=True)
class PostContent:
    """The fields of a post that do not depend on the viewer and change only with its
    revision (an edit, its media processed or removed)."""

    id: UUID
    revision: int
    caption: str
    tags: tuple[str, ...]
    mentions: tuple[str, ...]
    place: Place | None
    media: tuple[MediaItem, ...]
    comments_enabled: bool
    created_at: datetime
    edited_at: datetime | None


@dataclass(frozen=True, slots=True)
class AccountContent:
    """The fields of an account that change only with its revision (a rename, a new avatar)."""

    id: UUID
    revision: int
    username: str
    display_name: str
    bio: str
    website: str | None
    avatar: MediaItem | None
    created_at: datetime


class ContentSource(Protocol):
    """Where contents come from on a miss: the database, in one statement per kind."""

    async def posts(self, ids: Collection[UUID]) -> list[PostContent]: ...

    async def accounts(self, ids: Collection[UUID]) -> list[AccountContent]: ...


class Presenter(Protocol):
    """Turns contents into presentations (the HTTP adapter's JSON, media URLs signed)."""

    async def post(self, content: PostContent) -> bytes: ...

    async def account(self, content: AccountContent) -> bytes: ...


class PresentationStore(Protocol):
    """Bytes by key with a time to live (process memory, or Redis). Best effort: a store that
    is down raises ``Unavailable``, and the caller goes to the database instead."""

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]: ...

    async def put_many(self, entries: Mapping[str, bytes], ttl_s: float) -> None: ...
