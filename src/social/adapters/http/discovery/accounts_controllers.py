"""/suggestions/accounts: whom to follow, each with a short reason, and dismissing one
(DISC-1)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from social.adapters.http.cards import json_response, json_value, page_json, raw_account
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging
from social.adapters.http.users.schemas import UserOut
from social.domain.discovery.suggested_accounts import (
    DismissSuggestion,
    ListSuggestedAccounts,
    SuggestedAccount,
)
from social.domain.shared.identity import Viewer

__all__ = ["SuggestedAccountsController"]

Me = NamedDependency[Viewer]
Username = Annotated[str, Parameter(max_length=64)]


class SuggestedAccountOut(msgspec.Struct, kw_only=True):
    user: UserOut
    reason: str
    """Why it is suggested: "followed by alice and 3 others", "popular in #sunset" or
    "recently active"."""


class SuggestedAccountPageOut(msgspec.Struct, kw_only=True):
    items: list[SuggestedAccountOut]
    next_cursor: str | None


def _json(suggested: SuggestedAccount) -> bytes:
    """A suggested account (``SuggestedAccountOut``'s fields)."""
    return json_value({"user": raw_account(suggested.account), "reason": suggested.reason})


class SuggestedAccountsController(Controller):
    path = "/suggestions/accounts"
    tags = ["discovery"]
    security = BEARER_SECURITY

    @get(
        "/",
        operation_id="listSuggestedAccounts",
        summary="Accounts you may want to follow, best first, each with its reason",
        description="Friends of friends (weighted by how many of the people you follow "
        "follow them), accounts popular in the tags you post and like, and recently active "
        "public accounts; never yourself, anyone you follow or asked to follow, blocked or "
        "muted either way, suspended, or dismissed. Computed in the background and refreshed "
        "when you follow, unfollow, block or mute; a follow or block takes effect here at once.",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def list_suggested_accounts(
        self,
        list_suggested_accounts: Injected[ListSuggestedAccounts],
        viewer: Me,
        page: Paging,
    ) -> Response[SuggestedAccountPageOut]:
        found = await list_suggested_accounts.execute(viewer, page.by_rank)
        return json_response(page_json(map(_json, found.items), found.next_cursor))

    @delete(
        "/{username:str}",
        operation_id="dismissSuggestedAccount",
        summary="Never suggest this account to you again (idempotent)",
        responses=problems(401, 404, 422),
    )
    async def dismiss(
        self, username: Username, dismiss_suggestion: Injected[DismissSuggestion], viewer: Me
    ) -> None:
        await dismiss_suggestion.execute(viewer, username)
