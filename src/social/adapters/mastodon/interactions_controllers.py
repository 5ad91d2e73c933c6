"""Favourite (like), reblog (share) and bookmark (save) through the app API, and who did.

Each verb answers the status afterwards, read fresh (counters and the viewer's flags), except
``reblog``, which answers the share itself: a new status wrapping the post's. A share's id
names its post for these verbs (as Mastodon acts on a reblog's original). Comments have no
likes, shares or saves here: those verbs on a comment are a 422 saying so; their lists of
likers and sharers are empty."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, Response, post
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.status_views import json_body, parse_status_id, post_of, rendered
from social.domain.interactions.bookmark_post import BookmarkPost, UnbookmarkPost
from social.domain.interactions.like_post import LikePost, UnlikePost
from social.domain.interactions.read_status import CommentStatus, ReadStatus
from social.domain.interactions.share_post import SharePost, UnsharePost
from social.domain.profiles.mentioned import FindMentioned
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer

__all__ = ["INTERACTION_HANDLERS"]

_ON_COMMENTS = {
    "favourite": "comments cannot be favourited here: likes are for posts",
    "reblog": "comments cannot be reblogged here: only posts are shared",
    "bookmark": "comments cannot be bookmarked here: only posts are saved",
}


async def _post_id(read: ReadStatus, viewer: Viewer, status_id: str, verb: str) -> UUID:
    """The post the status is about, as the viewer may see it (404 otherwise); a comment is a
    422 for ``verb``."""
    found = await read.execute(viewer, parse_status_id(status_id))
    if isinstance(found, CommentStatus):
        raise Invalid.field("id", _ON_COMMENTS[verb])
    return post_of(found).state.id


async def _fresh(
    request: Request[Any, Any, Any],
    read: ReadStatus,
    find_mentioned: FindMentioned,
    viewer: Viewer,
    status_id: UUID,
) -> Response[Any]:
    found = await read.execute(viewer, status_id)
    return json_body(await rendered(request, find_mentioned, found))


@post(
    "/api/v1/statuses/{status_id:str}/favourite",
    operation_id="mastodonFavouriteStatus",
    summary="Like a post (idempotent); answers the post's status",
    status_code=200,
)
async def favourite(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    caller: Caller,
    read_status: Injected[ReadStatus],
    find_mentioned: Injected[FindMentioned],
    like_post: Injected[LikePost],
) -> Response[Any]:
    viewer = caller.require("write:favourites")
    post_id = await _post_id(read_status, viewer, status_id, "favourite")
    await like_post.execute(viewer, post_id)
    return await _fresh(request, read_status, find_mentioned, viewer, post_id)


@post(
    "/api/v1/statuses/{status_id:str}/unfavourite",
    operation_id="mastodonUnfavouriteStatus",
    summary="Take a like back (idempotent); answers the post's status",
    status_code=200,
)
async def unfavourite(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    caller: Caller,
    read_status: Injected[ReadStatus],
    find_mentioned: Injected[FindMentioned],
    unlike_post: Injected[UnlikePost],
) -> Response[Any]:
    viewer = caller.require("write:favourites")
    post_id = await _post_id(read_status, viewer, status_id, "favourite")
    await unlike_post.execute(viewer, post_id)
    return await _fresh(request, read_status, find_mentioned, viewer, post_id)


@post(
    "/api/v1/statuses/{status_id:str}/reblog",
    operation_id="mastodonReblogStatus",
    summary="Share a post (idempotent); answers the share: a status wrapping the post's",
    description="Posts of private accounts and one's own posts cannot be shared (403).",
    status_code=200,
)
async def reblog(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    caller: Caller,
    read_status: Injected[ReadStatus],
    find_mentioned: Injected[FindMentioned],
    share_post: Injected[SharePost],
) -> Response[Any]:
    viewer = caller.require("write:statuses")
    post_id = await _post_id(read_status, viewer, status_id, "reblog")
    shared = await share_post.execute(viewer, post_id)
    return await _fresh(request, read_status, find_mentioned, viewer, shared.share_id or post_id)


@post(
    "/api/v1/statuses/{status_id:str}/unreblog",
    operation_id="mastodonUnreblogStatus",
    summary="Take a share back (idempotent); answers the post's status",
    status_code=200,
)
async def unreblog(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    caller: Caller,
    read_status: Injected[ReadStatus],
    find_mentioned: Injected[FindMentioned],
    unshare_post: Injected[UnsharePost],
) -> Response[Any]:
    viewer = caller.require("write:statuses")
    post_id = await _post_id(read_status, viewer, status_id, "reblog")
    await unshare_post.execute(viewer, post_id)
    return await _fresh(request, read_status, find_mentioned, viewer, post_id)


@post(
    "/api/v1/statuses/{status_id:str}/bookmark",
    operation_id="mastodonBookmarkStatus",
    summary="Save a post (idempotent, private); answers the post's status",
    status_code=200,
)
async def bookmark(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    caller: Caller,
    read_status: Injected[ReadStatus],
    find_mentioned: Injected[FindMentioned],
    bookmark_post: Injected[BookmarkPost],
) -> Response[Any]:
    viewer = caller.require("write:bookmarks")
    post_id = await _post_id(read_status, viewer, status_id, "bookmark")
    await bookmark_post.execute(viewer, post_id)
    return await _fresh(request, read_status, find_mentioned, viewer, post_id)


@post(
    "/api/v1/statuses/{status_id:str}/unbookmark",
    operation_id="mastodonUnbookmarkStatus",
    summary="Remove a post from your saved posts (idempotent); answers the post's status",
    status_code=200,
)
async def unbookmark(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    caller: Caller,
    read_status: Injected[ReadStatus],
    find_mentioned: Injected[FindMentioned],
    unbookmark_post: Injected[UnbookmarkPost],
) -> Response[Any]:
    viewer = caller.require("write:bookmarks")
    post_id = await _post_id(read_status, viewer, status_id, "bookmark")
    await unbookmark_post.execute(viewer, post_id)
    return await _fresh(request, read_status, find_mentioned, viewer, post_id)


INTERACTION_HANDLERS = [favourite, unfavourite, reblog, unreblog, bookmark, unbookmark]
