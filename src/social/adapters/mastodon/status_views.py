"""The writes' shared translation: a status id from a path or a form, and a domain
``StatusView`` (post, comment or share) as Mastodon's ``Status``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Response
from litestar.enums import MediaType

from social.adapters.mastodon.entities import Entities
from social.domain.interactions.show_status import StatusView
from social.domain.shared.errors import Invalid, NotFound

__all__ = ["json_body", "media_id_list", "parse_status_id", "status_json"]


def parse_status_id(raw: str) -> UUID:
    """Ids are our UUIDs as strings; anything else names no status (404, as Mastodon says)."""
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound("No such status.") from None


def media_id_list(raw: list[str]) -> tuple[UUID, ...]:
    ids = []
    for value in raw:
        try:
            ids.append(UUID(value))
        except ValueError:
            raise Invalid.field("media_ids", f"{value} is not one of your uploads") from None
    return tuple(ids)


def status_json(entities: Entities, view: StatusView) -> bytes:
    """A post as its ``Status``; a comment as a reply to the post (or to the top-level comment
    of its thread); a share as a reblog wrapping the post's ``Status``."""
    post = view.post
    if view.comment is not None:
        return entities.comment(
            view.comment.comment,
            view.comment.author,
            in_reply_to_account_id=view.answers_id or post.state.author_id,
            private=post.author.state.is_private,
        )
    if view.share is not None and view.sharer is not None:
        return entities.share(view.share.id, view.share.created_at, view.sharer, post)
    return entities.status(post)


def json_body(body: bytes, status_code: int = 200) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON, status_code=status_code)
