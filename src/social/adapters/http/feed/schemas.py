"""The ``FeedItem`` object and its pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.pagination import encode_cursor
from social.adapters.http.posts.schemas import PostOut, post_out
from social.adapters.http.users.schemas import UserOut, user_out
from social.domain.feed.home_feed import FeedItemView
from social.domain.shared.pagination import Page

__all__ = ["FeedItemOut", "FeedPageOut", "feed_page_out"]


class FeedItemOut(msgspec.Struct, kw_only=True):
    id: UUID
    """The post's id for a post, the share's id for a share."""
    kind: Literal["post", "share"]
    post: PostOut
    shared_by: UserOut | None
    created_at: datetime


class FeedPageOut(msgspec.Struct, kw_only=True):
    items: list[FeedItemOut]
    next_cursor: str | None


async def _item(view: FeedItemView, media: MediaPresenter) -> FeedItemOut:
    post = await post_out(view.post, media)
    sharer = await user_out(view.shared_by, media) if view.shared_by else None
    return FeedItemOut(
        id=view.entry.id,
        kind=view.entry.kind.value,
        post=post,
        shared_by=sharer,
        created_at=view.entry.created_at,
    )


async def feed_page_out(page: Page[FeedItemView], media: MediaPresenter) -> FeedPageOut:
    items = [await _item(view, media) for view in page.items]
    cursor = encode_cursor(page.next_cursor)
    return FeedPageOut(items=list(items), next_cursor=cursor)
