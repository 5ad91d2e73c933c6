"""Bodies of likes, shares, bookmarks and comments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.pagination import encode_cursor
from social.adapters.http.users.schemas import UserOut, user_out
from social.domain.interactions.views import CommentView
from social.domain.shared.pagination import Page

__all__ = [
    "BookmarkOut",
    "CommentIn",
    "CommentOut",
    "CommentPageOut",
    "LikeOut",
    "ShareOut",
    "comment_out",
    "comment_page_out",
]


class LikeOut(msgspec.Struct, kw_only=True):
    liked: bool
    likes_count: int


class ShareOut(msgspec.Struct, kw_only=True):
    shared: bool
    shares_count: int


class BookmarkOut(msgspec.Struct, kw_only=True):
    bookmarked: bool


class CommentIn(msgspec.Struct, kw_only=True):
    text: Annotated[str, Meta(max_length=10_000)]
    """Checked again by the domain (at most 1,000 characters once cleaned)."""
    parent_id: UUID | None = None


class CommentOut(msgspec.Struct, kw_only=True):
    id: UUID
    post_id: UUID
    author: UserOut
    text: str
    parent_id: UUID | None
    replies_count: int
    created_at: datetime


class CommentPageOut(msgspec.Struct, kw_only=True):
    items: list[CommentOut]
    next_cursor: str | None


async def comment_out(view: CommentView, media: MediaPresenter) -> CommentOut:
    comment = view.comment
    return CommentOut(
        id=comment.id,
        post_id=comment.post_id,
        author=await user_out(view.author, media),
        text=comment.text,
        parent_id=comment.parent_id,
        replies_count=comment.replies_count,
        created_at=comment.created_at,
    )


async def comment_page_out(page: Page[CommentView], media: MediaPresenter) -> CommentPageOut:
    items = [await comment_out(view, media) for view in page.items]
    cursor = encode_cursor(page.next_cursor)
    return CommentPageOut(items=list(items), next_cursor=cursor)
