"""``GET /api/v1/tags/:name`` as Mastodon's ``Tag``. The path is also a native route, so this
one is mounted under ``COLLIDING_PREFIX`` and reached by app-token callers through the
dispatcher (docs/architecture.md)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import PathParameter

from social.adapters.http.cards import json_response
from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import MaybeCaller
from social.adapters.mastodon.entities import entities_for, tag_json
from social.adapters.mastodon.timelines_controllers import viewer_of
from social.domain.search.search import TagSummary

__all__ = ["tags_controller"]

TagName = Annotated[str, PathParameter(min_length=1, max_length=101)]


def tags_controller(prefix: str) -> type[Controller]:
    class TagsController(Controller):
        path = f"{prefix}/api/v1/tags"

        @get(
            "/{name:str}",
            operation_id="mastodonGetTag",
            summary="A hashtag (its usage history is not kept: an empty history)",
        )
        async def tag(
            self,
            request: Request[Any, Any, Any],
            name: TagName,
            optional_caller: MaybeCaller,
            tag_summary: Injected[TagSummary],
        ) -> Response[Any]:
            viewer_of(optional_caller, "read:statuses")
            found = await tag_summary.execute(name)
            return json_response(tag_json(found.name, entities_for(request).tag_url(found.name)))

    return TagsController
