"""Fakes of the Web Push ports (``domain/notifications/push_ports.py``): the subscription store
on a unit of work's copy of the store (like PostgreSQL's), a sender that records what it was
asked to deliver, and an endpoint guard with a simple rule."""

from __future__ import annotations

import base64
import ipaddress
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from uuid import UUID

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from social.domain.notifications.push_ports import PushMessage, PushOutcome, PushSubscription
from social.domain.shared.errors import Invalid

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = [
    "FAKE_VAPID_PUBLIC_KEY",
    "FakePushEndpointGuard",
    "InMemoryPushSubscriptionRepository",
    "RecordingPushSender",
    "browser_keys",
]

FAKE_VAPID_PUBLIC_KEY = (
    base64.urlsafe_b64encode(b"\x04" + bytes(range(1, 65))).rstrip(b"=").decode()
)
"""The shape of a VAPID public key (an uncompressed P-256 point's 65 bytes), not a real one."""


def browser_keys() -> tuple[str, str]:
    """What a browser's subscription carries as ``keys``: a fresh P-256 public key and a
    16-byte secret, base64url without padding."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64(point), _b64(os.urandom(16))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class InMemoryPushSubscriptionRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    def _live(self) -> list[PushSubscription]:
        """ON DELETE CASCADE: gone with their account."""
        w = self._w
        return [s for s in w.push_subscriptions.values() if s.user_id in w.users]

    async def add(self, subscription: PushSubscription) -> PushSubscription:
        s = subscription
        for stored in self._live():
            if (stored.user_id, stored.endpoint) == (s.user_id, s.endpoint):
                kept = replace(stored, p256dh=s.p256dh, auth=s.auth, kinds=s.kinds)
                self._w.push_subscriptions[kept.id] = kept
                return kept
        self._w.push_subscriptions[s.id] = s
        return s

    async def get(self, subscription_id: UUID) -> PushSubscription | None:
        return next((s for s in self._live() if s.id == subscription_id), None)

    async def for_user(self, user_id: UUID) -> Sequence[PushSubscription]:
        mine = [s for s in self._live() if s.user_id == user_id]
        return sorted(mine, key=lambda s: (s.created_at, s.id))

    async def remove(self, subscription_id: UUID, *, user_id: UUID | None = None) -> bool:
        found = await self.get(subscription_id)
        if found is None or (user_id is not None and found.user_id != user_id):
            return False
        del self._w.push_subscriptions[subscription_id]
        return True


@dataclass
class RecordingPushSender:
    """Records every (subscription, message) it is asked to deliver and answers the outcome
    set for its endpoint (``DELIVERED`` unless told otherwise)."""

    outcomes: dict[str, PushOutcome] = field(default_factory=dict)
    sent: list[tuple[PushSubscription, PushMessage]] = field(default_factory=list)
    public_key: str = FAKE_VAPID_PUBLIC_KEY

    async def send(self, subscription: PushSubscription, message: PushMessage) -> PushOutcome:
        self.sent.append((subscription, message))
        return self.outcomes.get(subscription.endpoint, PushOutcome.DELIVERED)

    async def close(self) -> None:
        return None


class FakePushEndpointGuard:
    """https only, and never a literal loopback, private or link-local address nor
    ``localhost`` (the real guard also resolves names: ``PublicEndpointGuard``)."""

    async def check(self, endpoint: str) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme != "https" or not parts.hostname:
            raise Invalid.field("endpoint", "must be an https URL")
        host = parts.hostname
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            if host == "localhost" or host.endswith(".localhost"):
                raise Invalid.field("endpoint", "must be on a public address") from None
            return
        if not address.is_global:
            raise Invalid.field("endpoint", "must be on a public address")
