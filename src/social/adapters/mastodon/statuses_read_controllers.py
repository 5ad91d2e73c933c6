"""Reading statuses: one (a post, a comment or a share: ``ReadStatus`` decides what the viewer
may see) and its context (the post above a comment, the comments below a post)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.params import FromPath

from social.adapters.http.cards import json_response
from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import MaybeCaller
from social.adapters.mastodon.entities import context_json, entities_for
from social.adapters.mastodon.entities.render import Entities
from social.adapters.mastodon.timelines_controllers import viewer_of
from social.domain.interactions.list_comments import ListComments
from social.domain.interactions.read_status import CommentStatus, ReadStatus, ShareStatus
from social.domain.interactions.views import CommentView
from social.domain.profiles.mentioned import FindMentioned
from social.domain.reads.model import PostCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import MAX_LIMIT, Cursor, PageRequest

__all__ = ["StatusReadController", "status_json"]

MAX_TOP_LEVEL_PAGES = 3
"""A post's context lists at most this many pages of 100 top-level comments..."""
MAX_THREADS = 40
"""...and the replies of at most this many of them (100 each): one query per thread."""

Status = PostCard | CommentStatus | ShareStatus


def _status_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise NotFound("Record not found") from None


def status_json(entities: Entities, found: Status) -> bytes:
    """Any status as its entity."""
    if isinstance(found, PostCard):
        return entities.status(found)
    if isinstance(found, ShareStatus):
        share = found.share
        return entities.share(share.id, share.created_at, found.sharer, found.post)
    return entities.comment(
        found.comment,
        found.author,
        in_reply_to_account_id=found.replied_to_id,
        private=found.post.author.state.is_private,
    )


async def _texts(entities: Entities, find: FindMentioned, found: list[Status]) -> None:
    """Learn the ids of the accounts mentioned by these statuses."""
    posts = [s if isinstance(s, PostCard) else s.post for s in found]
    texts = [s.comment.text for s in found if isinstance(s, CommentStatus)]
    await entities.resolve_mentions(find.execute, posts, texts)


class StatusReadController(Controller):
    path = "/api/v1/statuses"

    @get(
        "/{status_id:str}",
        operation_id="mastodonGetStatus",
        summary="A status: a post, a comment (a reply) or a share (a reblog); 404 if hidden",
    )
    async def get_status(
        self,
        request: Request[Any, Any, Any],
        status_id: FromPath[str],
        optional_caller: MaybeCaller,
        read_status: Injected[ReadStatus],
        find_mentioned: Injected[FindMentioned],
    ) -> Response[Any]:
        viewer = viewer_of(optional_caller, "read:statuses")
        found = await read_status.execute(viewer, _status_id(status_id))
        entities = entities_for(request)
        await _texts(entities, find_mentioned, [found])
        return json_response(status_json(entities, found))

    @get(
        "/{status_id:str}/context",
        operation_id="mastodonStatusContext",
        summary="A status's ancestors (the post, the comment replied to) and descendants",
        description=(
            "A post's descendants are its comments, each followed by its replies (at most "
            f"{MAX_TOP_LEVEL_PAGES * MAX_LIMIT} comments, and the replies of the first "
            f"{MAX_THREADS} that have any); a share's context is its post's."
        ),
    )
    async def context(
        self,
        request: Request[Any, Any, Any],
        status_id: FromPath[str],
        optional_caller: MaybeCaller,
        read_status: Injected[ReadStatus],
        list_comments: Injected[ListComments],
        find_mentioned: Injected[FindMentioned],
    ) -> Response[Any]:
        viewer = viewer_of(optional_caller, "read:statuses")
        found = await read_status.execute(viewer, _status_id(status_id))
        ancestors: list[Status] = []
        descendants: list[Status] = []
        if isinstance(found, ShareStatus):
            found = found.post
        if isinstance(found, PostCard):
            descendants = await _comments(viewer, list_comments, found)
        else:
            comment = found.comment
            ancestors.append(found.post)
            if comment.parent_id is not None:
                ancestors.append(await read_status.execute(viewer, comment.parent_id))
            else:
                thread = await list_comments.execute(
                    viewer, comment.post_id, comment.id, PageRequest(MAX_LIMIT)
                )
                descendants = [_reply(found.post, view, comment.author_id) for view in thread.items]
        entities = entities_for(request)
        await _texts(entities, find_mentioned, ancestors + descendants)
        return json_response(
            context_json(
                (status_json(entities, s) for s in ancestors),
                (status_json(entities, s) for s in descendants),
            )
        )


def _reply(post: PostCard, view: CommentView, replied_to: UUID) -> CommentStatus:
    return CommentStatus(view.comment, view.author, post, replied_to)


async def _comments(
    viewer: Viewer | None, list_comments: ListComments, post: PostCard
) -> list[Status]:
    """The post's comments in reading order: each top-level comment, then its replies."""
    post_id, author_id = post.state.id, post.state.author_id
    top: list[CommentView] = []
    after: Cursor | None = None
    for _ in range(MAX_TOP_LEVEL_PAGES):
        page = await list_comments.execute(viewer, post_id, None, PageRequest(MAX_LIMIT, after))
        top += page.items
        after = page.next_cursor
        if after is None:
            break
    shown: list[Status] = []
    threads = 0
    for view in top:
        shown.append(_reply(post, view, author_id))
        if view.comment.replies_count and threads < MAX_THREADS:
            threads += 1
            replies = await list_comments.execute(
                viewer, post_id, view.comment.id, PageRequest(MAX_LIMIT)
            )
            shown += [_reply(post, reply, view.comment.author_id) for reply in replies.items]
    return shown
