"""What the OAuth endpoints share: the public base URL, the client's credentials (body or
HTTP Basic), the signing-in device, and OAuth's own error shape."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote_plus

from litestar import Request, Response

from social.adapters.http.client_ip import Networks, client_ip
from social.adapters.mastodon.params import Params
from social.domain.accounts.devices import Device
from social.domain.accounts.oauth_model import OAuthError
from social.domain.shared.errors import Invalid
from social.settings import Settings

__all__ = [
    "NO_STORE",
    "base_url",
    "client_credentials",
    "device_of",
    "invalid_request",
    "oauth_error",
]

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
"""RFC 6749 §5.1: a response carrying a token or secret must not be cached."""


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.adapters.settings
    return settings


def base_url(request: Request[Any, Any, Any]) -> str:
    """``public_url`` when set, else the URL the request came to (no trailing slash)."""
    public = _settings(request).http.public_url
    return (public or str(request.base_url)).rstrip("/")


def device_of(request: Request[Any, Any, Any]) -> Device:
    """The client as its session remembers it (the address believed as the edge does)."""
    proxies = Networks(_settings(request).http.trusted_proxies)
    return Device.of_client(request.headers.get("user-agent"), client_ip(request.scope, proxies))


def client_credentials(
    request: Request[Any, Any, Any], params: Params
) -> tuple[str | None, str | None]:
    """``client_id`` and ``client_secret`` from HTTP Basic (RFC 6749 §2.3.1: each
    form-encoded) or else from the body."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client", "Malformed HTTP Basic credentials.") from None
        client_id, sep, secret = decoded.partition(":")
        if not sep:
            raise OAuthError("invalid_client", "Malformed HTTP Basic credentials.")
        return unquote_plus(client_id), unquote_plus(secret)
    return params.text("client_id", max_length=256), params.text("client_secret", max_length=256)


def oauth_error(request: Request[Any, Any, Any], exc: OAuthError) -> Response[Any]:
    """RFC 6749 §5.2: 401 (with a challenge) for a client that failed to authenticate, 400
    otherwise."""
    body = {"error": exc.error, "error_description": exc.message}
    if exc.error == "invalid_client":
        headers = {**NO_STORE, "WWW-Authenticate": 'Basic realm="oauth"'}
        return Response(body, status_code=401, headers=headers)
    return Response(body, status_code=400, headers=NO_STORE)


def invalid_request(request: Request[Any, Any, Any], exc: Invalid) -> Response[Any]:
    return oauth_error(request, OAuthError("invalid_request", exc.message))
