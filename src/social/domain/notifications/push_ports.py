"""Web Push (NOTIF-3): a device's subscription, the message a push carries, and the ports that
store subscriptions and deliver to them.

A subscription is what a browser's ``PushManager.subscribe()`` returns: the push service's
endpoint URL and the device's keys. Delivery encrypts for those keys (RFC 8291), signs with the
server's VAPID key (RFC 8292) and posts to the endpoint (RFC 8030); the adapter does all three.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.notifications.ports import NotificationsUnitOfWork
from social.domain.shared.notification_kinds import NotificationKind

__all__ = [
    "PushEndpointGuard",
    "PushMessage",
    "PushOutcome",
    "PushSender",
    "PushSubscription",
    "PushSubscriptionRepository",
    "PushUnitOfWork",
    "PushUnitOfWorkFactory",
]


@dataclass(frozen=True, slots=True)
class PushSubscription:
    """One device of ``user_id``; ``kinds`` are the notification kinds it wants (all when
    empty)."""

    id: UUID
    user_id: UUID
    endpoint: str
    p256dh: str
    """The device's P-256 public key: an uncompressed point, base64url."""
    auth: str
    """The device's 16-byte authentication secret, base64url."""
    kinds: frozenset[NotificationKind]
    created_at: datetime

    def wants(self, kind: NotificationKind) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True, slots=True)
class PushMessage:
    """What one push carries before encryption: a small JSON document (the adapter adds no
    field), kept by the push service for ``ttl_s`` seconds when the device is offline.
    ``topic`` lets a newer message replace an undelivered older one (RFC 8030 §5.4)."""

    payload: bytes
    ttl_s: int
    urgency: str = "normal"
    topic: str | None = None


class PushOutcome(enum.Enum):
    """How one delivery attempt ended."""

    DELIVERED = "delivered"
    """The push service accepted it (201)."""
    GONE = "gone"
    """The subscription expired or was withdrawn (404, 410): drop it."""
    RETRY = "retry"
    """Worth trying again later (429, 5xx, a timeout, a connection failure)."""
    REFUSED = "refused"
    """Never worth retrying: the endpoint's address is not allowed (checked again after DNS
    resolution), or the push service rejected the request itself (400, 403, 413)."""


class PushSender(Protocol):
    """Delivers to push services (the Web Push adapter in every mode; a recording fake in unit
    tests)."""

    @property
    def public_key(self) -> str:
        """The VAPID public key clients pass to ``subscribe()`` as ``applicationServerKey``:
        an uncompressed P-256 point, base64url without padding."""
        ...

    async def send(self, subscription: PushSubscription, message: PushMessage) -> PushOutcome: ...


class PushEndpointGuard(Protocol):
    """Decides whether a subscription's endpoint may be contacted at all (no SSRF into the
    private network): https on a public address, every address the host resolves to checked."""

    async def check(self, endpoint: str) -> None:
        """Return when ``endpoint`` is allowed; raise ``Invalid`` (naming the rule) when not."""
        ...


class PushSubscriptionRepository(Protocol):
    """Subscriptions by device; part of the notifications unit of work."""

    async def add(self, subscription: PushSubscription) -> PushSubscription:
        """Store it; the same user subscribing the same endpoint again replaces the keys and
        kinds of the stored one, which is returned (its id unchanged)."""
        ...

    async def get(self, subscription_id: UUID) -> PushSubscription | None: ...

    async def for_user(self, user_id: UUID) -> Sequence[PushSubscription]:
        """The user's subscriptions, oldest first."""
        ...

    async def remove(self, subscription_id: UUID, *, user_id: UUID | None = None) -> bool:
        """Delete it (only if it is ``user_id``'s, when given); ``False`` if there was none."""
        ...


class PushUnitOfWork(NotificationsUnitOfWork, Protocol):
    """The notifications unit of work with the devices to push to (``Notify`` queues a push
    per device in the transaction that stores the notification)."""

    @property
    def push_subscriptions(self) -> PushSubscriptionRepository: ...


PushUnitOfWorkFactory = Callable[[], PushUnitOfWork]
