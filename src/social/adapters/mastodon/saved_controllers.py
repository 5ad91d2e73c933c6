"""The viewer's bookmarks (saved posts) and favourites (liked posts), most recent save or like
first. Their order is the save's or like's time, not the post's, so only the ``Link`` header's
``max_id`` pages them exactly (``links.py``); ``since_id``/``min_id`` are not supported here."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.entities import array, entities_for
from social.adapters.mastodon.links import link_header, paged_response, time_paging
from social.adapters.mastodon.timelines_controllers import Id, Limit
from social.domain.interactions.bookmark_post import ListBookmarks
from social.domain.interactions.liked_posts import ListLikedPosts
from social.domain.profiles.mentioned import FindMentioned
from social.domain.reads.model import PostCard
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["SavedController"]


class SavedController(Controller):
    path = "/api/v1"

    @get(
        "/bookmarks",
        operation_id="mastodonBookmarks",
        summary="The posts you saved, most recently saved first",
    )
    async def bookmarks(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        list_bookmarks: Injected[ListBookmarks],
        find_mentioned: Injected[FindMentioned],
        limit: Limit = None,
        max_id: Id = None,
    ) -> Response[Any]:
        viewer = caller.require("read:bookmarks")
        paging = time_paging(limit, max_id)
        page = await list_bookmarks.execute(viewer, PageRequest(paging.limit, paging.before))
        return await _respond(request, find_mentioned, page)

    @get(
        "/favourites",
        operation_id="mastodonFavourites",
        summary="The posts you like, most recently liked first",
    )
    async def favourites(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        list_liked_posts: Injected[ListLikedPosts],
        find_mentioned: Injected[FindMentioned],
        limit: Limit = None,
        max_id: Id = None,
    ) -> Response[Any]:
        viewer = caller.require("read:favourites")
        paging = time_paging(limit, max_id)
        page = await list_liked_posts.execute(viewer, PageRequest(paging.limit, paging.before))
        return await _respond(request, find_mentioned, page)


async def _respond(
    request: Request[Any, Any, Any], find_mentioned: FindMentioned, page: Page[PostCard, Cursor]
) -> Response[Any]:
    entities = entities_for(request)
    await entities.resolve_mentions(find_mentioned.execute, page.items)
    body = array([entities.status(card) for card in page.items])
    return paged_response(body, link_header(request, entities.urls.base, page.next_cursor))
