"""A push service and a browser, for tests that deliver Web Push for real.

``PushReceiver`` is an HTTP server on 127.0.0.1 that records every request and answers as told;
``Browser`` is what ``PushManager.subscribe()`` creates on a device: a P-256 key pair and a
16-byte auth secret, and the only thing that can decrypt a push (RFC 8291).
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID, uuid4

import http_ece
import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from social.domain.notifications.push_ports import PushSubscription
from social.domain.shared.notification_kinds import NotificationKind

__all__ = [
    "Browser",
    "PushReceiver",
    "Received",
    "VapidClaims",
    "b64url",
    "running_receiver",
    "verify_vapid",
]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class VapidClaims:
    """A verified VAPID ``Authorization`` header: the key that signed it and the claims."""

    public_key: str
    audience: str
    expires_at: int
    subject: str | None


@dataclass
class PushReceiver:
    """Answers ``status`` (after ``delay_s``); ``redirect_to`` makes it a 307 instead."""

    status: int = 201
    delay_s: float = 0.0
    redirect_to: str | None = None
    answer_body: bytes = b""
    requests: list[Received] = field(default_factory=list)
    port: int = 0

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def endpoint(self, path: str = "/push/device-1") -> str:
        return self.origin + path

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            Received(request.method, request.path, dict(request.headers), await request.read())
        )
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if self.redirect_to is not None:
            return web.Response(status=307, headers={"Location": self.redirect_to})
        return web.Response(status=self.status, body=self.answer_body)


@asynccontextmanager
async def running_receiver() -> AsyncIterator[PushReceiver]:
    receiver = PushReceiver()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", receiver.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    receiver.port = int(runner.addresses[0][1])
    try:
        yield receiver
    finally:
        await runner.cleanup()


@dataclass
class Browser:
    """One device's push keys, as ``PushManager.subscribe()`` makes them."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription(
        self,
        endpoint: str,
        *,
        user_id: UUID | None = None,
        kinds: frozenset[NotificationKind] = frozenset(),
    ) -> PushSubscription:
        return PushSubscription(
            id=uuid4(),
            user_id=user_id or uuid4(),
            endpoint=endpoint,
            p256dh=self.p256dh,
            auth=self.auth,
            kinds=kinds,
            created_at=datetime.now(UTC),
        )

    def decrypt(self, body: bytes) -> bytes:
        """The plaintext of an ``aes128gcm`` push body (raises if it was not for this device)."""
        plaintext: bytes = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return plaintext


def verify_vapid(authorization: str, *, audience: str) -> VapidClaims:
    """Check an RFC 8292 header's ES256 signature with the key it names (``k``), its ``aud``
    and its ``exp`` (in the future, at most 24 hours away); raise if any is wrong."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    point = _b64url_decode(fields["k"])
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    claims = jwt.decode(fields["t"], key, algorithms=["ES256"], audience=audience)
    now = time.time()
    assert now < claims["exp"] <= now + 24 * 3600
    return VapidClaims(fields["k"], claims["aud"], claims["exp"], claims.get("sub"))
