"""Request and response bodies of /auth and /me.

Edge checks here are the domain's own limits (request_limits.py), so the OpenAPI document states
them; the domain checks again after cleaning and reports field errors the same way.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from social.adapters.http.request_body import RequestBody
from social.adapters.http.request_limits import (
    Bio,
    DisplayName,
    Email,
    NewPassword,
    Username,
    Website,
)
from social.adapters.http.users.schemas import MeOut
from social.domain.accounts.model import IssuedTokens

__all__ = [
    "ChangePasswordIn",
    "DeleteAccountIn",
    "LogInIn",
    "LogOutIn",
    "OneTimeCode",
    "ProfileUpdateIn",
    "RefreshIn",
    "RegisterIn",
    "RegisteredOut",
    "Secret",
    "TokensOut",
    "tokens_out",
]

Short = Annotated[str, Meta(max_length=320)]
Secret = Annotated[str, Meta(max_length=1024)]
OneTimeCode = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=64,
        description="A code of the authenticator app (six digits) or an unused recovery code",
    ),
]


class RegisterIn(RequestBody, kw_only=True):
    username: Username
    email: Email
    password: NewPassword
    display_name: DisplayName = ""


class LogInIn(RequestBody, kw_only=True):
    login: Annotated[str, Meta(min_length=1, max_length=320, description="Username or email")]
    password: Secret
    otp: OneTimeCode | None = None
    """Needed when the account has two-factor authentication on."""


class RefreshIn(RequestBody, kw_only=True):
    refresh_token: Annotated[str, Meta(min_length=1, max_length=512)]


class LogOutIn(RequestBody, kw_only=True):
    refresh_token: Annotated[str, Meta(max_length=512)] | None = None


class ChangePasswordIn(RequestBody, kw_only=True):
    current_password: Secret
    new_password: NewPassword


class DeleteAccountIn(RequestBody, kw_only=True):
    password: Secret


class ProfileUpdateIn(RequestBody, kw_only=True):
    """Fields left out stay as they are; an empty string clears a text field."""

    display_name: DisplayName | UnsetType = UNSET
    bio: Bio | UnsetType = UNSET
    website: Website | UnsetType | None = UNSET
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
