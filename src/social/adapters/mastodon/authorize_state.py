"""What the authorization page carries between its steps, with nothing kept on the server: a
CSRF token (a signed random value in a SameSite=Strict, HttpOnly cookie, echoed by a hidden
field of every form) and signed, short-lived tickets saying who signed in, bound to that CSRF
token (so to this browser) and to the request they were made for."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from social.adapters.security.keys import derive_key, load_master_secret
from social.domain.accounts.authorize_app import AuthorizationAsk
from social.settings import Settings

__all__ = ["CSRF_COOKIE", "PageSigner", "Ticket", "request_binding"]

CSRF_COOKIE = "oauth_csrf"
OTP_TICKET_TTL = timedelta(minutes=5)
CONSENT_TICKET_TTL = timedelta(minutes=10)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def request_binding(ask: AuthorizationAsk) -> str:
    """A digest of what the person is asked to approve: a ticket made for one request is
    worth nothing for another app, redirect URI, scope set or PKCE challenge."""
    parts = [
        ask.app.client_id,
        ask.redirect_uri,
        " ".join(sorted(ask.scopes)),
        ask.code_challenge or "",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Ticket:
    kind: str
    """``otp`` (the password was right, a code is due) or ``consent`` (signed in)."""
    user_id: UUID
    username: str


class PageSigner:
    """HMAC-SHA256 under a key derived from the server's secret for this page alone."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_settings(cls, settings: Settings) -> PageSigner:
        return cls(derive_key(load_master_secret(settings), "social/oauth-authorize-page"))

    def _mac(self, purpose: str, data: bytes) -> str:
        return _b64(hmac.digest(self._key, purpose.encode() + b"\0" + data, "sha256"))

    def new_csrf(self) -> str:
        nonce = secrets.token_urlsafe(32)
        return f"{nonce}.{self._mac('csrf', nonce.encode())}"

    def csrf_valid(self, value: str | None) -> bool:
        if not value or value.count(".") != 1:
            return False
        nonce, mac = value.split(".")
        return hmac.compare_digest(mac, self._mac("csrf", nonce.encode()))

    def ticket(
        self, ticket: Ticket, *, csrf: str, binding: str, now: datetime, ttl: timedelta
    ) -> str:
        payload: dict[str, Any] = {
            "k": ticket.kind,
            "u": str(ticket.user_id),
            "n": ticket.username,
            "c": hashlib.sha256(csrf.encode()).hexdigest()[:32],
            "b": binding,
            "e": int((now + ttl).timestamp()),
        }
        data = json.dumps(payload, separators=(",", ":")).encode()
        return f"{_b64(data)}.{self._mac('ticket', data)}"

    def open_ticket(
        self, value: str | None, *, kind: str, csrf: str, binding: str, now: datetime
    ) -> Ticket | None:
        """The ticket if it is ours, of ``kind``, unexpired and bound to this browser's CSRF
        token and this request; ``None`` otherwise."""
        if not value or value.count(".") != 1:
            return None
        encoded, mac = value.split(".")
        try:
            data = _unb64(encoded)
        except ValueError:
            return None
        if not hmac.compare_digest(mac, self._mac("ticket", data)):
            return None
        payload = json.loads(data)
        csrf_digest = hashlib.sha256(csrf.encode()).hexdigest()[:32]
        if (
            payload["k"] != kind
            or payload["e"] <= now.timestamp()
            or not hmac.compare_digest(payload["c"], csrf_digest)
            or not hmac.compare_digest(payload["b"], binding)
        ):
            return None
        return Ticket(kind=kind, user_id=UUID(payload["u"]), username=payload["n"])
