"""``GET /api/v2/search``: accounts by username or name prefix, hashtags by prefix and posts by
caption text, through the one search use case (its privacy rules included)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.enums import MediaType

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import MaybeCaller
from social.adapters.mastodon.entities import array, entities_for, tag_json
from social.adapters.mastodon.params import read_params
from social.domain.profiles.mentioned import FindMentioned
from social.domain.search.search import SearchEverything
from social.domain.shared.errors import Invalid
from social.domain.shared.pagination import PageRequest

__all__ = ["SearchController"]

_TYPES = ("accounts", "hashtags", "statuses")


class SearchController(Controller):
    path = "/api/v2/search"

    @get(
        "/",
        operation_id="mastodonSearch",
        summary="Search accounts, hashtags and statuses (read:search)",
        description="`q` (`#cats` and `cats` both find the tag), `type` to search one kind, "
        "`limit` 20 (≤ 40). Statuses: public posts by caption text. There are no remote "
        "accounts, so `resolve` changes nothing; results come in one page, so an `offset` "
        "past it is empty. 503 while the search engine is down.",
    )
    async def search(
        self,
        request: Request[Any, Any, Any],
        optional_caller: MaybeCaller,
        search_everything: Injected[SearchEverything],
        find_mentioned: Injected[FindMentioned],
    ) -> Response[Any]:
        viewer = None
        if optional_caller is not None:
            optional_caller.check("read:search")
            viewer = optional_caller.viewer
        params = await read_params(request, body=False)
        q = (params.text("q", max_length=200) or "").strip()
        kind = params.text("type")
        if kind is not None and kind not in _TYPES:
            raise Invalid.field("type", f"Must be one of {', '.join(_TYPES)}.")
        limit = params.number("limit", 20, low=1, high=40)
        wanted = {kind} if kind else set(_TYPES)
        if params.number("offset", 0, low=0, high=10_000) > 0 or not q:
            wanted = set()
        entities = entities_for(request)
        accounts = statuses = hashtags = b"[]"
        if "accounts" in wanted and (name := q.lstrip("@").partition("@")[0]):
            people = await search_everything.users(viewer, name, PageRequest(limit))
            accounts = array(map(entities.account, people.items))
        if "hashtags" in wanted:
            tags = await search_everything.tags(q, limit)
            hashtags = array(tag_json(t.name, entities.tag_url(t.name)) for t in tags)
        if "statuses" in wanted:
            posts = await search_everything.posts(viewer, q, PageRequest(limit))
            await entities.resolve_mentions(find_mentioned.execute, posts.items)
            statuses = array(map(entities.status, posts.items))
        body = b'{"accounts":%b,"statuses":%b,"hashtags":%b}' % (accounts, statuses, hashtags)
        return Response(body, media_type=MediaType.JSON)
