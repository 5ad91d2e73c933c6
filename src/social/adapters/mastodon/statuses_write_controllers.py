"""Writing statuses through the app API: ``POST /api/v1/statuses`` (a post, or with
``in_reply_to_id`` a comment), ``PUT`` (a post's caption) and ``DELETE /api/v1/statuses/:id``.

How Mastodon's statuses map onto ours: a status without ``in_reply_to_id`` is a post, which
needs at least one photo or video (422 otherwise, as on Pixelfed); a reply to a post is a
comment on it, a reply to a comment a reply in that comment's thread (our threads are one level
deep: a reply to a reply joins the thread of its top-level comment, as the native API does); a
reply carries no media. Visibility ``direct`` does not exist here (422); ``private`` asks for a
followers-only post, which only a private account's posts are (422 otherwise: a post's
audience is its author's, never silently wider than asked); ``public`` and ``unlisted`` are
the account's audience. ``sensitive``, ``spoiler_text`` and ``language`` are accepted and not
kept; polls and scheduled statuses are refused."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, post, put
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.media_controllers import idempotency_key
from social.adapters.mastodon.params import Params, read_params
from social.adapters.mastodon.status_views import (
    json_body,
    media_id_list,
    parse_status_id,
    post_of,
    rendered,
)
from social.domain.interactions.comment_on_post import CommentCommand, CommentOnPost
from social.domain.interactions.delete_comment import DeleteComment
from social.domain.interactions.read_status import CommentStatus, ReadStatus, ShareStatus
from social.domain.interactions.share_post import WithdrawShare
from social.domain.posts.change_post import DeletePost, EditPost, EditPostCommand
from social.domain.posts.create_post import CreatePost, CreatePostCommand
from social.domain.profiles.mentioned import FindMentioned
from social.domain.reads.model import PostCard
from social.domain.shared.errors import Invalid

__all__ = ["STATUS_WRITE_HANDLERS"]

SCOPE = "write:statuses"
VISIBILITIES = frozenset({"public", "unlisted", "private", "direct"})
TEXT_MAX = 100_000
"""A sanity cap before the domain's own limits (caption, comment) judge the text."""


def _refuse_unsupported(params: Params) -> bool:
    """Whether the status is asked to be followers-only; 422 for what we do not have."""
    if any(name.startswith("poll") for name in params.names()):
        raise Invalid.field("poll", "polls are not supported")
    if params.text("scheduled_at"):
        raise Invalid.field("scheduled_at", "scheduled statuses are not supported")
    visibility = params.text("visibility") or "public"
    if visibility not in VISIBILITIES:
        raise Invalid.field("visibility", "must be public, unlisted, private or direct")
    if visibility == "direct":
        raise Invalid.field("visibility", "direct messages are not supported")
    return visibility == "private"


@post(
    "/api/v1/statuses",
    operation_id="mastodonCreateStatus",
    summary="Post photos (`media_ids[]`, `status` as the caption) or reply (`in_reply_to_id`)",
    description="A status without `in_reply_to_id` needs at least one photo or video (422). "
    "A repeated `Idempotency-Key` returns the first status.",
    status_code=200,
)
async def create_status(
    request: Request[Any, Any, Any],
    caller: Caller,
    create_post: Injected[CreatePost],
    comment_on_post: Injected[CommentOnPost],
    read_status: Injected[ReadStatus],
    find_mentioned: Injected[FindMentioned],
) -> Response[Any]:
    viewer = caller.require(SCOPE)
    params = await read_params(request)
    followers_only = _refuse_unsupported(params)
    text = params.text("status", max_length=TEXT_MAX) or ""
    media_ids = media_id_list(params.texts("media_ids"))
    key = idempotency_key(request)
    reply_to = params.text("in_reply_to_id")
    if not reply_to:
        command = CreatePostCommand(text, media_ids, followers_only=followers_only)
        card = await create_post.execute(viewer, command, idempotency_key=key)
        return json_body(await rendered(request, find_mentioned, card))
    if media_ids:
        raise Invalid.field("media_ids", "a reply (a comment here) cannot carry photos or videos")
    target = await read_status.execute(viewer, parse_status_id(reply_to))
    parent_id = target.comment.id if isinstance(target, CommentStatus) else None
    comment = CommentCommand(text, parent_id=parent_id)  # a share: a comment on its post
    post_id = post_of(target).state.id
    made = await comment_on_post.execute(viewer, post_id, comment, idempotency_key=key)
    reply = await read_status.comment(viewer, made.comment)
    return json_body(await rendered(request, find_mentioned, reply))


@put(
    "/api/v1/statuses/{status_id:str}",
    operation_id="mastodonEditStatus",
    summary="Edit a post's caption (`status`)",
    description="Only posts are edited (a comment or a share: 422); their media stay as they "
    "are (`media_ids` is ignored).",
)
async def edit_status(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    caller: Caller,
    read_status: Injected[ReadStatus],
    edit_post: Injected[EditPost],
    find_mentioned: Injected[FindMentioned],
) -> Response[Any]:
    viewer = caller.require(SCOPE)
    params = await read_params(request)
    found = await read_status.execute(viewer, parse_status_id(status_id))
    if not isinstance(found, PostCard):
        kind = "comment" if isinstance(found, CommentStatus) else "share"
        raise Invalid.field("id", f"a {kind} cannot be edited here, only a post")
    text = params.text("status", max_length=TEXT_MAX)
    command = EditPostCommand() if text is None else EditPostCommand(caption=text)
    card = await edit_post.execute(viewer, found.state.id, command)
    return json_body(await rendered(request, find_mentioned, card))


@delete(
    "/api/v1/statuses/{status_id:str}",
    operation_id="mastodonDeleteStatus",
    summary="Delete a post or a comment, or take back a share (a reblog)",
    description="Answers the deleted status with its raw `text`.",
    status_code=200,
)
async def delete_status(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    caller: Caller,
    read_status: Injected[ReadStatus],
    find_mentioned: Injected[FindMentioned],
    delete_post: Injected[DeletePost],
    delete_comment: Injected[DeleteComment],
    withdraw_share: Injected[WithdrawShare],
) -> Response[Any]:
    viewer = caller.require(SCOPE)
    found = await read_status.execute(viewer, parse_status_id(status_id))
    body = await rendered(request, find_mentioned, found)  # while it still exists
    if isinstance(found, CommentStatus):
        await delete_comment.execute(viewer, found.comment.id)
    elif isinstance(found, ShareStatus):
        await withdraw_share.execute(viewer, found.share.id)
    else:
        await delete_post.execute(viewer, found.state.id)
    return json_body(body)


STATUS_WRITE_HANDLERS = [create_status, edit_status, delete_status]
