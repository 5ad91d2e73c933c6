"""``/api/v1/blocks`` and ``/api/v1/mutes``: the accounts one blocks and mutes, most recent
first (Link pagination), each undone with ``unblock`` and ``unmute``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.pages import account_list, page_request
from social.adapters.mastodon.params import read_params
from social.domain.profiles.list_blocks_and_mutes import ListBlocks, ListMutes

__all__ = ["OwnListsController"]

_LIMIT = (40, 80)


class OwnListsController(Controller):
    path = "/api/v1"

    @get(
        "/blocks",
        operation_id="mastodonBlocks",
        summary="The accounts you block, most recent first (read:blocks)",
    )
    async def blocks(
        self, request: Request[Any, Any, Any], caller: Caller, list_blocks: Injected[ListBlocks]
    ) -> Response[Any]:
        viewer = caller.require("read:blocks")
        params = await read_params(request, body=False)
        return account_list(
            request, await list_blocks.execute(viewer, page_request(params, *_LIMIT))
        )

    @get(
        "/mutes",
        operation_id="mastodonMutes",
        summary="The accounts you mute, most recent first (read:mutes)",
    )
    async def mutes(
        self, request: Request[Any, Any, Any], caller: Caller, list_mutes: Injected[ListMutes]
    ) -> Response[Any]:
        viewer = caller.require("read:mutes")
        params = await read_params(request, body=False)
        return account_list(
            request, await list_mutes.execute(viewer, page_request(params, *_LIMIT))
        )
