"""Who favourited (liked) and who reblogged (shared) a status, most recent first, with
``Link`` pagination (``links.py``: the ``max_id`` of a Link pages exactly). The post's
visibility decides, as natively (a hidden post is a 404; anonymous callers see public posts'
lists); a share's id lists its post's people, a comment's lists are empty (comments have no
likes or shares here)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import MaybeCaller
from social.adapters.mastodon.links import paged_response, time_paging
from social.adapters.mastodon.pages import account_list
from social.adapters.mastodon.status_views import parse_status_id, post_of
from social.adapters.mastodon.timelines_controllers import Id, Limit, viewer_of
from social.domain.interactions.list_comments import ListLikers
from social.domain.interactions.list_sharers import ListSharers
from social.domain.interactions.read_status import CommentStatus, ReadStatus
from social.domain.shared.pagination import PageRequest

__all__ = ["STATUS_PEOPLE_HANDLERS"]

SCOPE = "read:statuses"


@get(
    "/api/v1/statuses/{status_id:str}/favourited_by",
    operation_id="mastodonFavouritedBy",
    summary="Accounts that like a post, most recent like first",
)
async def favourited_by(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    optional_caller: MaybeCaller,
    read_status: Injected[ReadStatus],
    list_likers: Injected[ListLikers],
    limit: Limit = None,
    max_id: Id = None,
) -> Response[Any]:
    viewer = viewer_of(optional_caller, SCOPE)
    found = await read_status.execute(viewer, parse_status_id(status_id))
    if isinstance(found, CommentStatus):
        return paged_response(b"[]", {})
    paging = time_paging(limit, max_id)
    wanted = PageRequest(paging.limit, paging.before)
    likers = await list_likers.execute(viewer, post_of(found).state.id, wanted)
    return account_list(request, likers)


@get(
    "/api/v1/statuses/{status_id:str}/reblogged_by",
    operation_id="mastodonRebloggedBy",
    summary="Accounts that share a post, most recent share first",
)
async def reblogged_by(
    request: Request[Any, Any, Any],
    status_id: FromPath[str],
    optional_caller: MaybeCaller,
    read_status: Injected[ReadStatus],
    list_sharers: Injected[ListSharers],
    limit: Limit = None,
    max_id: Id = None,
) -> Response[Any]:
    viewer = viewer_of(optional_caller, SCOPE)
    found = await read_status.execute(viewer, parse_status_id(status_id))
    if isinstance(found, CommentStatus):
        return paged_response(b"[]", {})
    paging = time_paging(limit, max_id)
    wanted = PageRequest(paging.limit, paging.before)
    return account_list(
        request, await list_sharers.execute(viewer, post_of(found).state.id, wanted)
    )


STATUS_PEOPLE_HANDLERS = [favourited_by, reblogged_by]
