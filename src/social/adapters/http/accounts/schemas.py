"""Request and response bodies of /auth and /me.

Edge checks here are types and generous length caps (so no request can make the server hash a
megabyte); the business rules proper live in the domain and report field errors the same way.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from social.adapters.http.request_body import RequestBody
from social.adapters.http.users.schemas import MeOut
from social.domain.accounts.model import IssuedTokens

__all__ = [
    "ChangePasswordIn",
    "DeleteAccountIn",
    "LogInIn",
    "LogOutIn",
    "ProfileUpdateIn",
    "RefreshIn",
    "RegisterIn",
    "RegisteredOut",
    "TokensOut",
    "tokens_out",
]

Short = Annotated[str, Meta(max_length=320)]
Secret = Annotated[str, Meta(max_length=1024)]
Text = Annotated[str, Meta(max_length=4000)]


class RegisterIn(RequestBody, kw_only=True):
    username: Short
    email: Short
    password: Secret
    display_name: Text = ""


class LogInIn(RequestBody, kw_only=True):
    login: Annotated[str, Meta(min_length=1, max_length=320, description="Username or email")]
    password: Secret


class RefreshIn(RequestBody, kw_only=True):
    refresh_token: Annotated[str, Meta(min_length=1, max_length=512)]


class LogOutIn(RequestBody, kw_only=True):
    refresh_token: Annotated[str, Meta(max_length=512)] | None = None


class ChangePasswordIn(RequestBody, kw_only=True):
    current_password: Secret
    new_password: Secret


class DeleteAccountIn(RequestBody, kw_only=True):
    password: Secret


class ProfileUpdateIn(RequestBody, kw_only=True):
    """Fields left out stay as they are; an empty string clears a text field."""

    display_name: Text | UnsetType = UNSET
    bio: Text | UnsetType = UNSET
    website: Annotated[str, Meta(max_length=2000)] | UnsetType | None = UNSET
    is_private: bool | UnsetType = UNSET


class TokensOut(msgspec.Struct, kw_only=True):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class RegisteredOut(msgspec.Struct, kw_only=True):
    user: MeOut
    tokens: TokensOut


def tokens_out(tokens: IssuedTokens) -> TokensOut:
    return TokensOut(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        token_type=tokens.token_type,
        expires_in=tokens.expires_in,
    )
