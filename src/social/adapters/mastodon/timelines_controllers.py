"""Timelines: home (the home feed), public (explore) and a tag's; newest first (public: most
engaging first), an array with a ``Link`` header (``links.py``)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, QueryParameter

from social.adapters.http.dependencies import Injected
from social.adapters.http.pagination import decode_rank_cursor
from social.adapters.mastodon.auth import Caller, MaybeCaller
from social.adapters.mastodon.entities import array, entities_for
from social.adapters.mastodon.entities.render import Entities
from social.adapters.mastodon.links import clamp_limit, link_header, paged_response, time_paging
from social.adapters.mastodon.pages import post_list
from social.domain.accounts.app_scopes import AppCaller
from social.domain.feed.home_feed import FeedItemView, HomeFeed
from social.domain.posts.browse import Explore, TagPosts
from social.domain.profiles.mentioned import FindMentioned
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import PageRequest, RankCursor

__all__ = ["TimelinesController", "feed_item_json", "viewer_of"]

Limit = Annotated[
    int | None, QueryParameter(description="Items per page (default 20, at most 40).")
]
Id = Annotated[
    str | None,
    QueryParameter(max_length=200, description="A status id, or the value of a `Link` header."),
]
Flag = Annotated[str | None, QueryParameter(description="Accepted and ignored (`true`/`1`).")]


def viewer_of(caller: AppCaller | None, scope: str) -> Viewer | None:
    """The viewer of an optional caller (after its scope check), ``None`` when anonymous."""
    if caller is None:
        return None
    caller.check(scope)
    return caller.viewer


def feed_item_json(entities: Entities, view: FeedItemView) -> bytes:
    if view.shared_by is None:
        return entities.status(view.post)
    entry = view.entry
    return entities.share(entry.id, entry.created_at, view.shared_by, view.post)


def _feed_position(view: FeedItemView) -> tuple[Any, Any]:
    return view.entry.created_at, view.entry.id


def _is_true(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on", "yes")


class TimelinesController(Controller):
    path = "/api/v1/timelines"

    @get(
        "/home",
        operation_id="mastodonHomeTimeline",
        summary="The home timeline: posts and shares (as reblogs) of followed accounts",
    )
    async def home(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        home_feed: Injected[HomeFeed],
        find_mentioned: Injected[FindMentioned],
        limit: Limit = None,
        max_id: Id = None,
        since_id: Id = None,
        min_id: Id = None,
    ) -> Response[Any]:
        viewer = caller.require("read:statuses")
        paging = time_paging(limit, max_id, since_id, min_id)
        page = await home_feed.execute(viewer, paging.request)
        items = paging.keep(page.items, _feed_position)
        entities = entities_for(request)
        await entities.resolve_mentions(find_mentioned.execute, (v.post for v in items))
        body = array([feed_item_json(entities, view) for view in items])
        cut = paging.cut and len(items) < len(page.items)
        first = items[0].entry.cursor if items else None
        next_cursor = None if cut else page.next_cursor
        headers = link_header(request, entities.urls.base, next_cursor, first)
        return paged_response(body, headers)

    @get(
        "/tag/{hashtag:str}",
        operation_id="mastodonTagTimeline",
        summary="Posts of public accounts with a hashtag, newest first",
    )
    async def tag(
        self,
        request: Request[Any, Any, Any],
        hashtag: FromPath[str],
        optional_caller: MaybeCaller,
        tag_posts: Injected[TagPosts],
        find_mentioned: Injected[FindMentioned],
        limit: Limit = None,
        max_id: Id = None,
        since_id: Id = None,
        min_id: Id = None,
        local: Flag = None,
        remote: Flag = None,
        only_media: Flag = None,
    ) -> Response[Any]:
        viewer = viewer_of(optional_caller, "read:statuses")
        paging = time_paging(limit, max_id, since_id, min_id)
        if _is_true(remote):  # every account is local here
            return paged_response(b"[]", {})
        page = await tag_posts.execute(viewer, hashtag, paging.request)
        return await post_list(request, paging, page, find_mentioned.execute)

    @get(
        "/public",
        operation_id="mastodonPublicTimeline",
        summary="Recent popular posts of public accounts (explore), most engaging first",
        description="`since_id`/`min_id` are ignored: the order is by engagement, not time.",
    )
    async def public(
        self,
        request: Request[Any, Any, Any],
        optional_caller: MaybeCaller,
        explore: Injected[Explore],
        find_mentioned: Injected[FindMentioned],
        limit: Limit = None,
        max_id: Id = None,
        since_id: Id = None,
        min_id: Id = None,
        local: Flag = None,
        remote: Flag = None,
        only_media: Flag = None,
    ) -> Response[Any]:
        viewer = viewer_of(optional_caller, "read:statuses")
        entities = entities_for(request)
        after: RankCursor | None = None
        if max_id:
            try:
                after = decode_rank_cursor(max_id)
            except Invalid:
                # a status id has no place in a ranked list: the list ends there
                return paged_response(b"[]", {})
        if _is_true(remote):
            return paged_response(b"[]", {})
        page = await explore.execute(viewer, PageRequest(clamp_limit(limit), after))
        await entities.resolve_mentions(find_mentioned.execute, page.items)
        body = array([entities.status(card) for card in page.items])
        return paged_response(body, link_header(request, entities.urls.base, page.next_cursor))
