"""``/api/v1/accounts``: the signed-in account and its edits, other accounts by id or name,
their posts and their followers and following (Mastodon's Account and Status shapes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import msgspec
from litestar import Controller, Request, Response, get, patch
from litestar.enums import MediaType
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller, MaybeCaller
from social.adapters.mastodon.entities import Entities, array, entities_for
from social.adapters.mastodon.links import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    link_header,
    paged_response,
    time_paging,
)
from social.adapters.mastodon.pages import account_list, page_request
from social.adapters.mastodon.params import Params, read_params
from social.adapters.mastodon.path_ids import path_id
from social.domain.accounts.app_scopes import AppCaller
from social.domain.posts.browse import ListUserPosts
from social.domain.profiles.avatar import UpdateAvatar
from social.domain.profiles.credentials import Credentials, GetCredentials
from social.domain.profiles.list_connections import Connections, ListConnections
from social.domain.profiles.mentioned import FindMentioned
from social.domain.profiles.update_profile import UpdateProfile, UpdateProfileCommand
from social.domain.profiles.view_profile import ViewProfile
from social.domain.reads.model import PostCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor

__all__ = [
    "AVATAR_UPLOAD_OVERHEAD",
    "AccountController",
    "credentials_controller",
    "credentials_json",
]

_encode = msgspec.json.encode
_ACCOUNTS_LIMIT = (40, 80)
AVATAR_UPLOAD_OVERHEAD = 64 * 1024
"""Room for the multipart framing and the other fields around an avatar."""


def _json(body: bytes, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON, headers=headers)


def credentials_json(entities: Entities, credentials: Credentials) -> bytes:
    """The ``CredentialAccount``: the account plus ``source``, what its owner edits."""
    user = credentials.user
    source = _encode(
        {
            "privacy": "private" if user.is_private else "public",
            "sensitive": False,
            "language": None,
            "note": user.bio,
            "fields": [],
            "follow_requests_count": credentials.follow_requests_count,
        }
    )
    return b'%b,"source":%b}' % (entities.account(credentials.card)[:-1], source)


def _reader(caller: AppCaller | None, scope: str) -> Viewer | None:
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
        "/verify_credentials",
        operation_id="mastodonVerifyCredentials",
        summary="The signed-in account with its editable source (read:accounts)",
    )
    async def verify_credentials(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        get_credentials: Injected[GetCredentials],
    ) -> Response[Any]:
        viewer = caller.require("read:accounts")
        credentials = await get_credentials.execute(viewer)
        return _json(credentials_json(entities_for(request), credentials))

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
        viewer = _reader(optional_caller, "read:accounts")
        params = await read_params(request, body=False)
        entities = entities_for(request)
        host = urlsplit(entities.urls.base).netloc
        username = _local_acct(params.text("acct", max_length=200) or "", host)
        return _json(entities.account(await view_profile.execute(viewer, username)))

    @get("/{account:str}", operation_id="mastodonGetAccount", summary="An account by id")
    async def get_account(
        self,
        request: Request[Any, Any, Any],
        account: FromPath[str],
        optional_caller: MaybeCaller,
        view_profile: Injected[ViewProfile],
    ) -> Response[Any]:
        viewer = _reader(optional_caller, "read:accounts")
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
        viewer = _reader(optional_caller, "read:statuses")
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
        entities = entities_for(request)

        def position(card: PostCard) -> tuple[Any, Any]:
            return entities.post_time(card), card.state.id

        items = paging.keep(page.items, position)
        await entities.resolve_mentions(find_mentioned.execute, items)
        body = array([entities.status(card) for card in items])
        cut = paging.cut and len(items) < len(page.items)
        first = Cursor(*position(items[0])) if items else None
        next_cursor = None if cut else page.next_cursor
        return paged_response(body, link_header(request, entities.urls.base, next_cursor, first))

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
        viewer = _reader(caller, "read:accounts")
        owner = path_id(account)
        params: Params = await read_params(request, body=False)
        found = await list_connections.execute(
            viewer, owner, which, page_request(params, *_ACCOUNTS_LIMIT)
        )
        return account_list(request, found)


def credentials_controller(max_avatar_bytes: int) -> type[Controller]:
    """``PATCH update_credentials``, whose body may carry an avatar up to the configured size
    (the app's body limit is for JSON)."""

    class CredentialsController(Controller):
        path = "/api/v1/accounts"

        @patch(
            "/update_credentials",
            operation_id="mastodonUpdateCredentials",
            request_max_body_size=max_avatar_bytes + AVATAR_UPLOAD_OVERHEAD,
            summary="Edit the own profile: display_name, note, avatar, locked (write:accounts)",
            description="Form, multipart or JSON. `locked` makes the account private; `fields` and "
            "`header` are accepted and ignored.",
        )
        async def update_credentials(
            self,
            request: Request[Any, Any, Any],
            caller: Caller,
            update_profile: Injected[UpdateProfile],
            update_avatar: Injected[UpdateAvatar],
            get_credentials: Injected[GetCredentials],
        ) -> Response[Any]:
            viewer = caller.require("write:accounts")
            params = await read_params(request)
            command = UpdateProfileCommand(
                display_name=params.text("display_name"),
                bio=params.text("note"),
                is_private=params.flag("locked") if "locked" in params else None,
            )
            if command != UpdateProfileCommand():
                await update_profile.execute(viewer, command)
            avatar = params.file("avatar")
            if avatar is not None:
                await update_avatar.execute(viewer, await avatar.read())
            credentials = await get_credentials.execute(viewer)
            return _json(credentials_json(entities_for(request), credentials))

    return CredentialsController
