"""Endpoints clients call that have nothing behind them here, answered in their real shapes
(an empty list or object, never a 404 a client would report): custom emojis, filters, lists,
markers, announcements; and the posting preferences, which follow the account's privacy."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get

from social.adapters.http.cards import json_response, json_value
from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller, MaybeCaller
from social.domain.profiles.get_me import GetMe

__all__ = ["StubsController"]

_EMPTY_LIST = b"[]"
_EMPTY_OBJECT = b"{}"


class StubsController(Controller):
    path = "/api"

    @get(
        "/v1/custom_emojis",
        operation_id="mastodonCustomEmojis",
        summary="Custom emojis: none here (public)",
    )
    async def custom_emojis(self, optional_caller: MaybeCaller) -> Response[Any]:
        return json_response(_EMPTY_LIST)

    @get("/v1/filters", operation_id="mastodonFiltersV1", summary="Keyword filters: none here")
    async def filters_v1(self, caller: Caller) -> Response[Any]:
        caller.require("read:filters")
        return json_response(_EMPTY_LIST)

    @get("/v2/filters", operation_id="mastodonFiltersV2", summary="Keyword filters: none here")
    async def filters_v2(self, caller: Caller) -> Response[Any]:
        caller.require("read:filters")
        return json_response(_EMPTY_LIST)

    @get("/v1/lists", operation_id="mastodonLists", summary="Lists of accounts: none here")
    async def lists(self, caller: Caller) -> Response[Any]:
        caller.require("read:lists")
        return json_response(_EMPTY_LIST)

    @get(
        "/v1/markers",
        operation_id="mastodonMarkers",
        summary="Reading positions: not kept here (an empty object)",
    )
    async def markers(self, caller: Caller) -> Response[Any]:
        caller.require("read:statuses")
        return json_response(_EMPTY_OBJECT)

    @get(
        "/v1/announcements",
        operation_id="mastodonAnnouncements",
        summary="Server announcements: none here",
    )
    async def announcements(self, caller: Caller) -> Response[Any]:
        caller.require("read")
        return json_response(_EMPTY_LIST)

    @get(
        "/v1/preferences",
        operation_id="mastodonPreferences",
        summary="Posting and reading preferences (visibility follows the account's privacy)",
    )
    async def preferences(self, caller: Caller, get_me: Injected[GetMe]) -> Response[Any]:
        viewer = caller.require("read:accounts")
        me = await get_me.execute(viewer)
        return json_response(
            json_value(
                {
                    "posting:default:visibility": "private" if me.user.is_private else "public",
                    "posting:default:sensitive": False,
                    "posting:default:language": None,
                    "reading:expand:media": "default",
                    "reading:expand:spoilers": False,
                }
            )
        )
