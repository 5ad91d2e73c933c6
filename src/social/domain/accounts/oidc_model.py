"""OpenID Connect sign-in (AUTH with an outside provider): what a provider is, a sign-in in
flight, a linked identity, and the checks every ID token must pass.

The signature of an ID token is checked by the client adapter (against the provider's JWKS);
everything about its claims is decided here, with our clock, so tests can judge a real
provider's token at any instant.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from social.domain.shared.errors import AuthenticationFailed, Conflict

__all__ = [
    "IdentityClaims",
    "OidcIdentity",
    "OidcLinkRefused",
    "OidcProvider",
    "OidcRefused",
    "PendingOidcLogin",
    "check_id_token",
    "hash_secret",
    "identity_from",
    "new_secret",
    "pkce_challenge",
]

_HASHES = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}


class OidcRefused(AuthenticationFailed):
    """The sign-in cannot be trusted: unknown or reused state, another browser, a token that
    fails a check. Never says more than needed."""

    code = "oidc-refused"


class OidcLinkRefused(Conflict):
    """An account with the provider's email exists, and ownership of it is not proven."""

    code = "oidc-link-refused"


@dataclass(frozen=True, slots=True)
class OidcProvider:
    """One configured provider; ``name`` is the path segment (``google``, ``local``)."""

    name: str
    display_name: str
    issuer: str
    client_id: str
    scopes: tuple[str, ...] = ("openid", "email", "profile")


@dataclass(frozen=True, slots=True)
class PendingOidcLogin:
    """A started sign-in, stored until its callback (once) or ``expires_at``. ``state_hash``
    finds it; ``browser_hash`` binds it to the browser that started it (a cookie), so a
    callback URL planted in another browser signs nobody in (login CSRF)."""

    state_hash: bytes
    provider: str
    nonce: str
    code_verifier: str
    browser_hash: bytes
    created_at: datetime
    expires_at: datetime
    link_user_id: UUID | None = None
    """Set when a signed-in account started it to link the identity to itself."""


@dataclass(frozen=True, slots=True)
class OidcIdentity:
    """An account's identity at a provider: ``(issuer, subject)`` is unique."""

    issuer: str
    subject: str
    user_id: UUID
    created_at: datetime


@dataclass(frozen=True, slots=True)
class IdentityClaims:
    """Who the provider says signed in (the ID token's claims, completed from userinfo)."""

    issuer: str
    subject: str
    email: str = ""
    email_verified: bool = False
    preferred_username: str = ""
    name: str = ""


def new_secret() -> str:
    """A random URL-safe value (state, nonce, PKCE verifier, browser binding): 256 bits."""
    return secrets.token_urlsafe(32)


def hash_secret(value: str) -> bytes:
    """What is stored of a state or a browser binding: never the value itself."""
    return hashlib.sha256(value.encode()).digest()


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of ``verifier`` (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _token_hash(token: str, alg: str) -> str:
    digest = _HASHES.get(alg[-3:], hashlib.sha256)(token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def check_id_token(
    claims: Mapping[str, Any],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    now: datetime,
    leeway: timedelta,
    max_age: timedelta,
    alg: str = "RS256",
    access_token: str | None = None,
) -> IdentityClaims:
    """The identity in an ID token whose signature is already verified (OIDC Core 3.1.3.7):
    ``iss`` is the issuer, ``aud`` names us (``azp`` too when several audiences), ``exp`` not
    passed and ``iat`` neither in the future nor older than ``max_age`` (both with ``leeway``),
    ``nonce`` the one we sent, ``at_hash`` (if present) the access token's."""
    if claims.get("iss") != issuer:
        raise OidcRefused("The ID token was issued by another provider.")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences or (
        len(audiences) > 1 and claims.get("azp", client_id) != client_id
    ):
        raise OidcRefused("The ID token was issued for another client.")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise OidcRefused("The ID token has no expiry or issue time.")
    instant = now.timestamp()
    if instant > exp + leeway.total_seconds():
        raise OidcRefused("The ID token has expired.")
    if iat > instant + leeway.total_seconds() or iat < instant - max_age.total_seconds():
        raise OidcRefused("The ID token's issue time is not acceptable.")
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcRefused("The ID token does not belong to this sign-in (nonce).")
    at_hash = claims.get("at_hash")
    if (
        at_hash is not None
        and access_token is not None
        and not secrets.compare_digest(str(at_hash), _token_hash(access_token, alg))
    ):
        raise OidcRefused("The ID token does not match the access token (at_hash).")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise OidcRefused("The ID token names no subject.")
    return identity_from(claims, issuer=issuer, subject=subject)


def identity_from(claims: Mapping[str, Any], *, issuer: str, subject: str) -> IdentityClaims:
    """The identity fields of ID-token or userinfo claims (missing ones empty)."""
    verified = claims.get("email_verified")
    return IdentityClaims(
        issuer=issuer,
        subject=subject,
        email=str(claims.get("email") or "").strip().lower(),
        email_verified=verified is True or verified == "true",
        preferred_username=str(claims.get("preferred_username") or ""),
        name=str(claims.get("name") or ""),
    )
