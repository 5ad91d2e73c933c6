"""``Status`` heads: a post's cached native presentation translated once into the fixed part
of Mastodon's object (content as HTML, attachments, tags); comments, whose text is not cached,
are written whole. The varying parts (account, counters, viewer flags, mentions' ids) are the
renderer's, per response."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import msgspec

from social.adapters.http.presenting import PostContentOut
from social.adapters.mastodon.entities.html import text_html
from social.adapters.mastodon.entities.media import attachment
from social.adapters.mastodon.entities.times import rfc3339
from social.adapters.mastodon.entities.urls import Urls

__all__ = ["FIXED_FIELDS", "PostParts", "post_parts", "status_head"]

_decode = msgspec.json.Decoder(PostContentOut).decode
_encode = msgspec.json.encode

FIXED_FIELDS = (
    b'"sensitive":false,"spoiler_text":"","language":null,"emojis":[],"poll":null,'
    b'"card":null,"application":null,"muted":false,"pinned":false'
)
"""Fields every status carries with the same value here."""


class PostParts(NamedTuple):
    head: bytes
    """``{"id":..`` up to (not including) ``mentions``, ``account`` and what varies."""
    id: bytes
    mentions: tuple[str, ...]
    """The usernames mentioned, whose ids the renderer adds."""
    created_at: datetime


def status_head(
    status_id: str,
    created_at: datetime,
    edited_at: datetime | None,
    content: str,
    text: str,
    *,
    in_reply_to_id: str | None = None,
    in_reply_to_account_id: str | None = None,
    media: list[dict[str, object]] | None = None,
    tags: list[dict[str, str]] | None = None,
) -> bytes:
    """The fixed head of a status (no closing brace)."""
    return (
        _encode(
            {
                "id": status_id,
                "created_at": rfc3339(created_at),
                "edited_at": rfc3339(edited_at) if edited_at is not None else None,
                "in_reply_to_id": in_reply_to_id,
                "in_reply_to_account_id": in_reply_to_account_id,
                "content": content,
                "text": text,
                "media_attachments": media or [],
                "tags": tags or [],
            }
        )[:-1]
        + b","
        + FIXED_FIELDS
    )


def post_parts(presented: bytes, urls: Urls) -> PostParts:
    """A pure function of the presentation (and the server's base URL)."""
    post = _decode(presented + b"}")
    status_id = str(post.id)
    head = status_head(
        status_id,
        post.created_at,
        post.edited_at,
        text_html(post.caption, urls.tag, urls.profile, post.mentions),
        post.caption,
        media=[attachment(item) for item in post.media],
        tags=[{"name": tag, "url": urls.tag(tag)} for tag in post.tags],
    )
    return PostParts(head, status_id.encode(), tuple(post.mentions), post.created_at)
