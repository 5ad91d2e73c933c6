"""``/api/v2/suggestions`` (and the older ``/api/v1/suggestions``): accounts to follow, from the
same stored suggestions as the native ``/suggestions/accounts``; ``DELETE
/api/v1/suggestions/:account_id`` dismisses one for good.

Mastodon names where a suggestion comes from, not why in words: ours map onto its sources —
friends of friends (``friends_of_friends``, source ``past_interactions``), popular in your tags
and recently active (``most_interactions``, source ``global``). The list is one page, as
Mastodon's is (``limit``, 40 by default, at most 80); no Link header."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get
from litestar.enums import MediaType
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.entities import array, entities_for
from social.adapters.mastodon.params import read_params
from social.adapters.mastodon.path_ids import path_id
from social.domain.discovery.account_suggestions import ReasonKind
from social.domain.discovery.suggested_accounts import (
    DismissSuggestion,
    ListSuggestedAccounts,
    SuggestedAccount,
)
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import PageRequest, RankCursor

__all__ = ["SuggestionController"]

_SOURCES: dict[ReasonKind, bytes] = {
    ReasonKind.FOLLOWED_BY: b'"source":"past_interactions","sources":["friends_of_friends"]',
    ReasonKind.POPULAR_IN_TAG: b'"source":"global","sources":["most_interactions"]',
    ReasonKind.RECENTLY_ACTIVE: b'"source":"global","sources":["most_interactions"]',
}


def _json(body: bytes) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON)


class SuggestionController(Controller):
    path = "/api"

    async def _suggested(
        self, request: Request[Any, Any, Any], viewer: Viewer, listing: ListSuggestedAccounts
    ) -> list[SuggestedAccount]:
        params = await read_params(request, body=False)
        limit = params.number("limit", 40, low=1, high=80)
        found: list[SuggestedAccount] = []
        page: PageRequest[RankCursor] = PageRequest(min(limit, 40))
        while True:  # our pages stop at 100 and Mastodon's at 80: two reads at most
            got = await listing.execute(viewer, page)
            found.extend(got.items)
            if got.next_cursor is None or len(found) >= limit:
                return found[:limit]
            page = PageRequest(min(limit - len(found), 40), got.next_cursor)

    @get(
        "/v2/suggestions",
        operation_id="mastodonSuggestions",
        summary="Accounts you may want to follow, best first (read)",
        description="Each `{source, sources, account}`; `limit` (40, at most 80), one page.",
    )
    async def suggestions(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        list_suggested_accounts: Injected[ListSuggestedAccounts],
    ) -> Response[Any]:
        viewer = caller.require("read:accounts")
        entities = entities_for(request)
        found = await self._suggested(request, viewer, list_suggested_accounts)
        return _json(
            array(
                b'{%b,"account":%b}' % (_SOURCES[s.kind], entities.account(s.account))
                for s in found
            )
        )

    @get(
        "/v1/suggestions",
        operation_id="mastodonSuggestionsV1",
        summary="Accounts you may want to follow, as plain Accounts (read)",
        description="The older form of `/api/v2/suggestions`: an array of `Account`.",
    )
    async def suggestions_v1(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        list_suggested_accounts: Injected[ListSuggestedAccounts],
    ) -> Response[Any]:
        viewer = caller.require("read:accounts")
        entities = entities_for(request)
        found = await self._suggested(request, viewer, list_suggested_accounts)
        return _json(array(entities.account(s.account) for s in found))

    @delete(
        "/v1/suggestions/{account:str}",
        operation_id="mastodonDismissSuggestion",
        status_code=200,
        summary="Never suggest this account again (read)",
    )
    async def dismiss(
        self,
        account: FromPath[str],
        caller: Caller,
        dismiss_suggestion: Injected[DismissSuggestion],
    ) -> Response[Any]:
        viewer = caller.require("read:accounts")
        await dismiss_suggestion.execute(viewer, path_id(account))
        return _json(b"{}")
