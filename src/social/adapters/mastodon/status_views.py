"""The writes' shared translation: ids from a path or a form, and a status read back as
Mastodon's ``Status`` (with its mentions' ids), as the reads render it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, Response
from litestar.enums import MediaType

from social.adapters.mastodon.entities import entities_for
from social.adapters.mastodon.statuses_read_controllers import status_json
from social.domain.interactions.read_status import CommentStatus, ShareStatus
from social.domain.profiles.mentioned import FindMentioned
from social.domain.reads.model import PostCard
from social.domain.shared.errors import Invalid, NotFound

__all__ = ["AnyStatus", "json_body", "media_id_list", "parse_status_id", "post_of", "rendered"]

AnyStatus = PostCard | CommentStatus | ShareStatus


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


def post_of(found: AnyStatus) -> PostCard:
    """The post a status is about: itself, the commented one or the shared one."""
    return found if isinstance(found, PostCard) else found.post


async def rendered(
    request: Request[Any, Any, Any], find_mentioned: FindMentioned, found: AnyStatus
) -> bytes:
    """The status as its entity, its mentions' account ids looked up first."""
    entities = entities_for(request)
    texts = [found.comment.text] if isinstance(found, CommentStatus) else []
    await entities.resolve_mentions(find_mentioned.execute, [post_of(found)], texts)
    return status_json(entities, found)


def json_body(body: bytes, status_code: int = 200) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON, status_code=status_code)
