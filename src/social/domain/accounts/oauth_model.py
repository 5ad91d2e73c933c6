"""OAuth 2 entities of the client-app API: registered apps, authorization codes and access
tokens, with the pure rules about them (secrets, redirect URIs, PKCE)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

from social.domain.shared.errors import DomainError, Invalid

__all__ = [
    "OOB_REDIRECT",
    "AccessToken",
    "AuthorizationCode",
    "ClientApp",
    "IssuedAppToken",
    "OAuthError",
    "RegisteredApp",
    "hash_secret",
    "join_scopes",
    "new_secret",
    "parse_redirect_uris",
    "pkce_matches",
]

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
"""The "out of band" redirect: the authorization page shows the code instead of redirecting."""

MAX_REDIRECT_URIS = 10
MAX_URI_LENGTH = 2000
_FORBIDDEN_SCHEMES = frozenset({"javascript", "data", "vbscript", "file", "blob", "about"})
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


class OAuthError(DomainError):
    """A refusal in OAuth's own terms (RFC 6749 §5.2): ``error`` is one of its codes
    (``invalid_request``, ``invalid_client``, ``invalid_grant``, ``invalid_scope``,
    ``unauthorized_client``, ``unsupported_grant_type``), the message its description."""

    code = "oauth-error"

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error


def new_secret() -> str:
    """256 random bits, URL-safe base64 without padding: never a dot, so an app token can be
    told from our JWTs (``adapters/mastodon/auth.py``)."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> bytes:
    """Secrets of 256 random bits need no salt or stretching: only this SHA-256 is stored."""
    return hashlib.sha256(secret.encode()).digest()


def join_scopes(scopes: frozenset[str]) -> str:
    """Scopes as OAuth writes them: space-separated (sorted, so stable)."""
    return " ".join(sorted(scopes))


@dataclass(frozen=True, slots=True)
class ClientApp:
    """A registered client app. ``client_id`` is public; its secret is stored only hashed."""

    id: UUID
    name: str
    website: str | None
    redirect_uris: tuple[str, ...]
    scopes: frozenset[str]
    client_id: str
    client_secret_hash: bytes
    created_at: datetime

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.client_secret_hash, hash_secret(secret))

    def allows_redirect(self, redirect_uri: str) -> bool:
        """Exact match with a registered URI (no prefix or pattern matching)."""
        return redirect_uri in self.redirect_uris


@dataclass(frozen=True, slots=True)
class RegisteredApp:
    """A new app with its secret in clear: given once, at registration (as Mastodon does)."""

    app: ClientApp
    client_secret: str


@dataclass(frozen=True, slots=True)
class AccessToken:
    """An issued access token, stored by hash. ``user_id``/``session_id`` are ``None`` for a
    client-credentials token (the app alone)."""

    id: UUID
    token_hash: bytes
    app_id: UUID
    scopes: frozenset[str]
    created_at: datetime
    user_id: UUID | None = None
    session_id: UUID | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuthorizationCode:
    """What the authorization page granted, bound to the app, the redirect URI, the scopes,
    the user and the PKCE challenge; stored by hash, short-lived, used once."""

    id: UUID
    code_hash: bytes
    app_id: UUID
    user_id: UUID
    redirect_uri: str
    scopes: frozenset[str]
    created_at: datetime
    expires_at: datetime
    code_challenge: str | None = None
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IssuedAppToken:
    """The token endpoint's answer: the token in clear (never stored) and what it grants."""

    access_token: str
    scopes: frozenset[str]
    created_at: datetime
    token_type: str = "Bearer"  # noqa: S105 - a scheme name, not a secret


def parse_redirect_uris(values: list[str]) -> tuple[str, ...]:
    """Registered redirect URIs (one per line or a list; default: out of band). Each must be
    absolute, without a fragment, and of a scheme that cannot run code in a browser."""
    uris = [line.strip() for value in values for line in value.splitlines() if line.strip()]
    if not uris:
        return (OOB_REDIRECT,)
    if len(uris) > MAX_REDIRECT_URIS:
        raise Invalid.field("redirect_uris", f"At most {MAX_REDIRECT_URIS} URIs.")
    for uri in uris:
        _check_redirect_uri(uri)
    return tuple(dict.fromkeys(uris))


def _check_redirect_uri(uri: str) -> None:
    if uri == OOB_REDIRECT:
        return
    if len(uri) > MAX_URI_LENGTH or any(not c.isprintable() or c.isspace() for c in uri):
        raise Invalid.field("redirect_uris", "A redirect URI is not valid.")
    try:
        parts = urlsplit(uri)
    except ValueError:
        raise Invalid.field("redirect_uris", "A redirect URI is not valid.") from None
    scheme = parts.scheme.lower()
    if not scheme or scheme in _FORBIDDEN_SCHEMES or parts.fragment or "#" in uri:
        raise Invalid.field("redirect_uris", "A redirect URI must be absolute, without fragment.")
    if scheme in ("http", "https") and not parts.netloc:
        raise Invalid.field("redirect_uris", "A redirect URI must name its host.")


def pkce_matches(verifier: str, challenge: str) -> bool:
    """RFC 7636 S256: ``BASE64URL(SHA256(verifier))`` without padding equals the challenge; a
    verifier is 43 to 128 unreserved characters."""
    if not _VERIFIER.fullmatch(verifier):
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return hmac.compare_digest(computed, challenge)
