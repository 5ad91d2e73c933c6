"""The signed-in account as a Mastodon ``CredentialAccount`` (``verify_credentials``) and its
edits (``update_credentials``: display name, note, avatar, locked)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, patch
from litestar.enums import MediaType

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.entities import Entities, entities_for
from social.adapters.mastodon.params import read_params
from social.domain.profiles.avatar import UpdateAvatar
from social.domain.profiles.credentials import Credentials, GetCredentials
from social.domain.profiles.update_profile import UpdateProfile, UpdateProfileCommand

__all__ = ["AVATAR_UPLOAD_OVERHEAD", "credentials_controller", "credentials_json"]

_encode = msgspec.json.encode
AVATAR_UPLOAD_OVERHEAD = 64 * 1024
"""Room for the multipart framing and the other fields around an avatar."""


def _json(body: bytes) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON)


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


def credentials_controller(max_avatar_bytes: int) -> type[Controller]:
    """The two routes; ``update_credentials``' body may carry an avatar up to the configured
    size (the app's body limit is for JSON)."""

    class CredentialsController(Controller):
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
