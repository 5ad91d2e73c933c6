"""Favourite (like), reblog (share) and bookmark (save) through the app API, and who did.

Each verb answers the status afterwards, read fresh (counters and the viewer's flags), except
``reblog``, which answers the share itself: a new status wrapping the post's. A share's id
names its post for these verbs (as Mastodon acts on a reblog's original). Comments have no
likes, shares or saves here: those verbs on a comment are a 422 saying so; their lists of
likers and sharers are empty."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.entities import entities_for
from social.adapters.mastodon.status_views import json_body, parse_status_id, status_json
from social.domain.interactions.bookmark_post import BookmarkPost, UnbookmarkPost
from social.domain.interactions.like_post import LikePost, UnlikePost
from social.domain.interactions.share_post import SharePost, UnsharePost
from social.domain.interactions.show_status import ShowStatus
from social.domain.interactions.status_target import FindStatusTarget, StatusTarget
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer

__all__ = ["INTERACTION_HANDLERS"]

_ON_COMMENTS = {
    "favourite": "comments cannot be favourited here: likes are for posts",
    "reblog": "comments cannot be reblogged here: only posts are shared",
    "bookmark": "comments cannot be bookmarked here: only posts are saved",
}


async def _post_target(
    find: FindStatusTarget, viewer: Viewer, status_id: str, verb: str
) -> StatusTarget:
    """The status as the viewer may see it (404 otherwise); a comment is a 422 for ``verb``."""
    target = await find.execute(viewer, parse_status_id(status_id))
    if target.comment is not None:
        raise Invalid.field("id", _ON_COMMENTS[verb])
    return target


async def _fresh(
    request: Request[Any, Any, Any], show: ShowStatus, viewer: Viewer, post_id: Any
) -> Response[Any]:
    return json_body(status_json(entities_for(request), await show.execute(viewer, post_id)))


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
    find_status_target: Injected[FindStatusTarget],
    like_post: Injected[LikePost],
    show_status: Injected[ShowStatus],
) -> Response[Any]:
    viewer = caller.require("write:favourites")
    target = await _post_target(find_status_target, viewer, status_id, "favourite")
    await like_post.execute(viewer, target.post_id)
    return await _fresh(request, show_status, viewer, target.post_id)


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
    find_status_target: Injected[FindStatusTarget],
    unlike_post: Injected[UnlikePost],
    show_status: Injected[ShowStatus],
) -> Response[Any]:
    viewer = caller.require("write:favourites")
    target = await _post_target(find_status_target, viewer, status_id, "favourite")
    await unlike_post.execute(viewer, target.post_id)
    return await _fresh(request, show_status, viewer, target.post_id)


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
    find_status_target: Injected[FindStatusTarget],
    share_post: Injected[SharePost],
    show_status: Injected[ShowStatus],
) -> Response[Any]:
    viewer = caller.require("write:statuses")
    target = await _post_target(find_status_target, viewer, status_id, "reblog")
    shared = await share_post.execute(viewer, target.post_id)
    return await _fresh(request, show_status, viewer, shared.share_id or target.post_id)


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
    find_status_target: Injected[FindStatusTarget],
    unshare_post: Injected[UnsharePost],
    show_status: Injected[ShowStatus],
) -> Response[Any]:
    viewer = caller.require("write:statuses")
    target = await _post_target(find_status_target, viewer, status_id, "reblog")
    await unshare_post.execute(viewer, target.post_id)
    return await _fresh(request, show_status, viewer, target.post_id)


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
    find_status_target: Injected[FindStatusTarget],
    bookmark_post: Injected[BookmarkPost],
    show_status: Injected[ShowStatus],
) -> Response[Any]:
    viewer = caller.require("write:bookmarks")
    target = await _post_target(find_status_target, viewer, status_id, "bookmark")
    await bookmark_post.execute(viewer, target.post_id)
    return await _fresh(request, show_status, viewer, target.post_id)


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
    find_status_target: Injected[FindStatusTarget],
    unbookmark_post: Injected[UnbookmarkPost],
    show_status: Injected[ShowStatus],
) -> Response[Any]:
    viewer = caller.require("write:bookmarks")
    target = await _post_target(find_status_target, viewer, status_id, "bookmark")
    await unbookmark_post.execute(viewer, target.post_id)
    return await _fresh(request, show_status, viewer, target.post_id)


INTERACTION_HANDLERS = [favourite, unfavourite, reblog, unreblog, bookmark, unbookmark]
