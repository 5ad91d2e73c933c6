"""Devices that want pushes (NOTIF-3): subscribing one (what a browser's
``PushManager.subscribe()`` returned), unsubscribing it, and the server's VAPID public key the
browser needs first."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from uuid import UUID

from social.domain.notifications.push_keys import (
    MAX_ENDPOINT_LENGTH,
    auth_secret,
    device_public_key,
)
from social.domain.notifications.push_ports import (
    PushEndpointGuard,
    PushSender,
    PushSubscription,
)
from social.domain.notifications.push_ports import PushUnitOfWorkFactory as UowFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import ErrorCollector, FieldError, Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.notification_kinds import NotificationKind

__all__ = [
    "MAX_DEVICES",
    "PushPublicKey",
    "SubscribePush",
    "SubscribePushCommand",
    "UnsubscribePush",
]

MAX_DEVICES = 10
"""Devices per account. Subscribing one more drops the oldest: a browser reinstalled or a
phone replaced leaves a dead subscription behind, and the newest device is the one in use."""


@dataclass(frozen=True, slots=True)
class SubscribePushCommand:
    endpoint: str
    p256dh: str
    auth: str
    kinds: Collection[str] | None = None
    """Notification kinds the device wants; ``None`` or empty: every kind."""


class SubscribePush:
    """Rules: the endpoint is at most 2,048 characters and one the guard allows (https on a
    public address); ``p256dh`` is an uncompressed P-256 point on the curve and ``auth`` 16
    bytes (both base64url); every kind is a notification kind. The same endpoint again is the
    same device (its keys and kinds replaced, its id kept). Past ``MAX_DEVICES`` the oldest
    other devices go."""

    def __init__(self, *, uow: UowFactory, guard: PushEndpointGuard, clock: Clock) -> None:
        self._uow = uow
        self._guard = guard
        self._clock = clock

    async def execute(self, viewer: Viewer, command: SubscribePushCommand) -> PushSubscription:
        errors = ErrorCollector()
        endpoint = command.endpoint
        p256dh = errors.check(lambda: device_public_key(command.p256dh), "")
        auth = errors.check(lambda: auth_secret(command.auth), "")
        none: frozenset[NotificationKind] = frozenset()
        kinds = errors.check(lambda: _kinds(command.kinds or ()), none)
        if not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
            errors.errors.append(
                FieldError("endpoint", f"must be 1 to {MAX_ENDPOINT_LENGTH} characters")
            )
        else:
            try:
                await self._guard.check(endpoint)  # may resolve the host's name
            except Invalid as refused:
                errors.errors.extend(refused.errors)
        errors.raise_if_any()
        device = PushSubscription(
            id=new_id(),
            user_id=viewer.user_id,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            kinds=kinds,
            created_at=self._clock.now(),
        )
        async with self._uow() as uow:
            stored = await uow.push_subscriptions.add(device)
            others = [
                s for s in await uow.push_subscriptions.for_user(viewer.user_id) if s != stored
            ]
            for oldest in others[: max(0, len(others) + 1 - MAX_DEVICES)]:
                await uow.push_subscriptions.remove(oldest.id, user_id=viewer.user_id)
            await uow.commit()
        return stored


class UnsubscribePush:
    """Rules: only one's own device; another's, or one already gone, is not found."""

    def __init__(self, *, uow: UowFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, subscription_id: UUID) -> None:
        async with self._uow() as uow:
            if not await uow.push_subscriptions.remove(subscription_id, user_id=viewer.user_id):
                raise NotFound("No such push subscription.")
            await uow.commit()


class PushPublicKey:
    """The VAPID public key a browser passes to ``subscribe()`` (``applicationServerKey``):
    the same for everyone, so anyone may read it."""

    def __init__(self, *, sender: PushSender) -> None:
        self._sender = sender

    def execute(self) -> str:
        return self._sender.public_key


def _kinds(values: Collection[str]) -> frozenset[NotificationKind]:
    known = {kind.value: kind for kind in NotificationKind}
    unknown = sorted({v for v in values if v not in known})
    if unknown:
        allowed = ", ".join(known)
        raise Invalid.field("kinds", f"unknown kinds {', '.join(unknown)} (one of: {allowed})")
    return frozenset(known[v] for v in values)
