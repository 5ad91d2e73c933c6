"""Bodies of likes, shares, bookmarks and comments."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from social.adapters.http.cards import json_value, page_json, raw_account
from social.adapters.http.request_body import RequestBody
from social.adapters.http.request_limits import CommentText
from social.adapters.http.users.schemas import UserOut
from social.domain.interactions.views import CommentView
from social.domain.shared.pagination import AnyCursor, Page

__all__ = [
    "BookmarkOut",
    "CommentIn",
    "CommentOut",
    "CommentPageOut",
    "LikeOut",
    "ShareOut",
    "comment_json",
    "comment_page_json",
]


class LikeOut(msgspec.Struct, kw_only=True):
    liked: bool
    likes_count: int


class ShareOut(msgspec.Struct, kw_only=True):
    shared: bool
    shares_count: int


class BookmarkOut(msgspec.Struct, kw_only=True):
    bookmarked: bool


class CommentIn(RequestBody, kw_only=True):
    text: CommentText
    """Checked again by the domain (1 to 1,000 characters once cleaned)."""
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


def comment_json(view: CommentView) -> bytes:
    """A ``Comment`` object (``CommentOut``'s fields, the author from the read model)."""
    comment = view.comment
    return json_value(
        {
            "id": comment.id,
            "post_id": comment.post_id,
            "author": raw_account(view.author),
            "text": comment.text,
            "parent_id": comment.parent_id,
            "replies_count": comment.replies_count,
            "created_at": comment.created_at,
        }
    )


def comment_page_json(page: Page[CommentView, AnyCursor]) -> bytes:
    return page_json(map(comment_json, page.items), page.next_cursor)
