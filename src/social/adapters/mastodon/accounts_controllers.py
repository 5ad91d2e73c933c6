"""``/api/v1/accounts``: accounts by id, by acct or by search, their posts and their followers
and following (Mastodon's Account and Status shapes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, Response, get
from litestar.enums import MediaType
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import MaybeCaller
from social.adapters.mastodon.entities import array, entities_for
from social.adapters.mastodon.links import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    time_paging,
)
from social.adapters.mastodon.pages import account_list, page_request, post_list
from social.adapters.mastodon.params import Params, read_params
from social.adapters.mastodon.path_ids import path_id
from social.domain.accounts.app_scopes import AppCaller
from social.domain.posts.browse import ListUserPosts
from social.domain.profiles.list_connections import Connections, ListConnections
from social.domain.profiles.mentioned import FindMentioned
from social.domain.profiles.view_profile import ViewProfile
from social.domain.search.search import SearchEverything
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import PageRequest

__all__ = ["AccountController", "reader"]

_ACCOUNTS_LIMIT = (40, 80)


def _json(body: bytes, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON, headers=headers)


def reader(caller: AppCaller | None, scope: str) -> Viewer | None:
    """An anonymous read, or one by a token that holds ``scope``."""
    if caller is None:
        return None
    caller.check(scope)
    return caller.viewer


def _local_acct(acct: str, host: str) -> str:
    """``@alice``, ``alice`` and ``alice@this.host`` name the local account ``alice``; any
    other domain names an account this server does not have."""
    name, _, domain = acct.strip().lstrip("@").partition("@")
    if not name or (domain and domain.lower() != host.lower()):
        raise NotFound("Record not found")
    return name


class AccountController(Controller):
    path = "/api/v1/accounts"

    @get(
        "/lookup",
        operation_id="mastodonLookupAccount",
        summary="An account by its acct (`alice`, `@alice` or `alice@this.host`)",
    )
    async def lookup(
        self,
        request: Request[Any, Any, Any],
        optional_caller: MaybeCaller,
        view_profile: Injected[ViewProfile],
    ) -> Response[Any]:
        viewer = reader(optional_caller, "read:accounts")
        params = await read_params(request, body=False)
        entities = entities_for(request)
        host = urlsplit(entities.urls.base).netloc
        username = _local_acct(params.text("acct", max_length=200) or "", host)
        return _json(entities.account(await view_profile.execute(viewer, username)))

    @get(
        "/search",
        operation_id="mastodonSearchAccounts",
        summary="Accounts by username or display-name prefix (read:accounts)",
        description="`q` (a leading `@` and this server's domain are dropped), `limit` 40 (≤ 80); "
        "one page (an `offset` past it is empty).",
    )
    async def search(
        self,
        request: Request[Any, Any, Any],
        optional_caller: MaybeCaller,
        search_everything: Injected[SearchEverything],
    ) -> Response[Any]:
        viewer = reader(optional_caller, "read:accounts")
        params = await read_params(request, body=False)
        name = (params.text("q", max_length=200) or "").strip().lstrip("@").partition("@")[0]
        if not name or params.number("offset", 0, low=0, high=10_000) > 0:
            return _json(b"[]")
        limit = params.number("limit", 40, low=1, high=80)
        people = await search_everything.users(viewer, name, PageRequest(limit))
        return _json(array(map(entities_for(request).account, people.items)))

    @get("/{account:str}", operation_id="mastodonGetAccount", summary="An account by id")
    async def get_account(
        self,
        request: Request[Any, Any, Any],
        account: FromPath[str],
        optional_caller: MaybeCaller,
        view_profile: Injected[ViewProfile],
    ) -> Response[Any]:
        viewer = reader(optional_caller, "read:accounts")
        card = await view_profile.execute(viewer, path_id(account))
        return _json(entities_for(request).account(card))

    @get(
        "/{account:str}/statuses",
        operation_id="mastodonAccountStatuses",
        summary="An account's posts, newest first (Link pagination)",
        description="A private account's posts only for its owner and approved followers (404 "
        "otherwise). Posts are never replies or reblogs and always have media, so "
        "`exclude_replies`, `exclude_reblogs` and `only_media` change nothing; nothing is "
        "pinned (`pinned=true` is an empty list).",
    )
    async def statuses(
        self,
        request: Request[Any, Any, Any],
        account: FromPath[str],
        optional_caller: MaybeCaller,
        list_user_posts: Injected[ListUserPosts],
        find_mentioned: Injected[FindMentioned],
    ) -> Response[Any]:
        viewer = reader(optional_caller, "read:statuses")
        owner = path_id(account)
        params = await read_params(request, body=False)
        paging = time_paging(
            params.number("limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT),
            *(params.text(name, max_length=200) for name in ("max_id", "since_id", "min_id")),
        )
        if params.flag("pinned"):
            await list_user_posts.execute(viewer, owner, paging.request)  # 404 when hidden
            return _json(b"[]")
        page = await list_user_posts.execute(
            viewer, owner, paging.request, tag=params.text("tagged", max_length=101)
        )
        return await post_list(request, paging, page, find_mentioned.execute)

    @get(
        "/{account:str}/followers",
        operation_id="mastodonAccountFollowers",
        summary="Who follows an account, most recent first (Link pagination)",
        description="A private account's lists only for its owner and approved followers.",
    )
    async def followers(
        self,
        request: Request[Any, Any, Any],
        account: FromPath[str],
        optional_caller: MaybeCaller,
        list_connections: Injected[ListConnections],
    ) -> Response[Any]:
        return await self._connections(
            request, account, optional_caller, list_connections, Connections.FOLLOWERS
        )

    @get(
        "/{account:str}/following",
        operation_id="mastodonAccountFollowing",
        summary="Whom an account follows, most recent first (Link pagination)",
        description="A private account's lists only for its owner and approved followers.",
    )
    async def following(
        self,
        request: Request[Any, Any, Any],
        account: FromPath[str],
        optional_caller: MaybeCaller,
        list_connections: Injected[ListConnections],
    ) -> Response[Any]:
        return await self._connections(
            request, account, optional_caller, list_connections, Connections.FOLLOWING
        )

    async def _connections(
        self,
        request: Request[Any, Any, Any],
        account: FromPath[str],
        caller: AppCaller | None,
        list_connections: ListConnections,
        which: Connections,
    ) -> Response[Any]:
        viewer = reader(caller, "read:accounts")
        owner = path_id(account)
        params: Params = await read_params(request, body=False)
        found = await list_connections.execute(
            viewer, owner, which, page_request(params, *_ACCOUNTS_LIMIT)
        )
        return account_list(request, found)
