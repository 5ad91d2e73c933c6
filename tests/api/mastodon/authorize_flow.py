"""Driving the authorization page over HTTP (no browser): its forms' hidden fields read back,
each step posted as a browser would."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from html import unescape
from typing import Any

from tests.api.conftest import PASSWORD, Api

__all__ = ["hidden_fields", "pkce_pair", "sign_in"]

_INPUT = re.compile(r'<input type=hidden name="([^"]*)" value="([^"]*)">')


def pkce_pair() -> tuple[str, str]:
    """A verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hidden_fields(page: str) -> dict[str, str]:
    return {unescape(name): unescape(value) for name, value in _INPUT.findall(page)}


async def sign_in(api: Api, query: dict[str, str], login: str = "alice") -> Any:
    """The page shown, then the password posted: the answer (consent or second factor)."""
    page = await api.client.get("/oauth/authorize", params=query)
    assert page.status_code == 200, page.text
    fields = hidden_fields(page.text) | {"login": login, "password": PASSWORD}
    return await api.client.post("/oauth/authorize", data=fields)
