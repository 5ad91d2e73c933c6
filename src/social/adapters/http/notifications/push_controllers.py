"""/push: Web Push (NOTIF-3) — the server's VAPID key, and a device's subscription."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.request_body import RequestBody
from social.domain.notifications.push_keys import MAX_ENDPOINT_LENGTH
from social.domain.notifications.push_subscriptions import (
    PushPublicKey,
    SubscribePush,
    SubscribePushCommand,
    UnsubscribePush,
)
from social.domain.shared.identity import Viewer

__all__ = ["PushController"]

Me = NamedDependency[Viewer]
Kind = Literal["like", "comment", "reply", "mention", "follow", "follow_request", "share"]
Key = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]

KEY_MAX_AGE_S = 3600
"""The key changes only with the configuration; an hour of caching is harmless."""


class VapidKeyOut(msgspec.Struct, kw_only=True):
    public_key: str
    """The VAPID public key (``applicationServerKey``): an uncompressed P-256 point,
    base64url without padding."""


class PushKeysIn(RequestBody, kw_only=True):
    p256dh: Key
    """The device's P-256 ECDH public key (an uncompressed point), base64url."""
    auth: Key
    """The device's 16-byte authentication secret, base64url."""


class PushSubscriptionIn(RequestBody, kw_only=True):
    """A browser's ``PushSubscription`` (``subscription.toJSON()``), and the kinds wanted."""

    endpoint: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ENDPOINT_LENGTH)]
    keys: PushKeysIn
    kinds: Annotated[list[Kind], msgspec.Meta(max_length=32)] | None = None
    """Notification kinds to push to this device; left out or empty: every kind."""
    expirationTime: float | None = None  # noqa: N815 - toJSON()'s own name; ignored


class PushSubscriptionCreatedOut(msgspec.Struct, kw_only=True):
    id: UUID


class PushController(Controller):
    path = "/push"
    tags = ["push"]

    @get(
        "/vapid-key",
        operation_id="pushVapidKey",
        summary="The server's VAPID public key, for subscribing a device",
        description="Pass it to `PushManager.subscribe()` as `applicationServerKey`. The same "
        "for everyone; no token needed.",
        cache_control=CacheControlHeader(public=True, max_age=KEY_MAX_AGE_S),
    )
    async def vapid_key(self, push_public_key: Injected[PushPublicKey]) -> VapidKeyOut:
        return VapidKeyOut(public_key=push_public_key.execute())

    @post(
        "/subscriptions",
        operation_id="subscribePush",
        status_code=201,
        security=BEARER_SECURITY,
        summary="Push your notifications to this device",
        description="The body is the browser's `PushSubscription` and, optionally, the kinds "
        "wanted. The endpoint must be https on a public address (else 422 naming the rule). "
        "Subscribing the same endpoint again updates it and answers the same id. An account "
        "keeps its 10 newest devices: an 11th replaces the oldest.",
        responses=problems(401, 422),
    )
    async def subscribe(
        self,
        data: JSONBody[PushSubscriptionIn],
        subscribe_push: Injected[SubscribePush],
        viewer: Me,
    ) -> PushSubscriptionCreatedOut:
        command = SubscribePushCommand(
            endpoint=data.endpoint,
            p256dh=data.keys.p256dh,
            auth=data.keys.auth,
            kinds=data.kinds,
        )
        device = await subscribe_push.execute(viewer, command)
        return PushSubscriptionCreatedOut(id=device.id)

    @delete(
        "/subscriptions/{subscription_id:uuid}",
        operation_id="unsubscribePush",
        security=BEARER_SECURITY,
        summary="Stop pushing to a device",
        description="Another account's device, or one already gone, is not found.",
        responses=problems(401, 404),
    )
    async def unsubscribe(
        self,
        subscription_id: FromPath[UUID],
        unsubscribe_push: Injected[UnsubscribePush],
        viewer: Me,
    ) -> None:
        await unsubscribe_push.execute(viewer, subscription_id)
