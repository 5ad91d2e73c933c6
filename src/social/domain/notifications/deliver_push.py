"""Push one notification to one device (NOTIF-3): the ``DeliverPush`` job, queued by ``Notify``.

What a push says is decided when it is sent, not when it was queued: the notification may have
been withdrawn (an unlike), the recipient may have blocked the actor or lost sight of the post
meanwhile. The payload names the actor and the kind, never a caption or a comment's text: a
lock screen is not the place for what the recipient may see only in the app.
"""

from __future__ import annotations

import hashlib
import json
import logging
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.notifications.audience import may_hear_of
from social.domain.notifications.jobs import DeliverPush
from social.domain.notifications.model import Notification
from social.domain.notifications.push_keys import base64url
from social.domain.notifications.push_ports import PushMessage, PushOutcome, PushSender
from social.domain.notifications.push_ports import PushUnitOfWorkFactory as UowFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Unavailable
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["DeliverPushNotification", "push_message", "push_topic"]

log = logging.getLogger(__name__)

_WORDS: dict[NotificationKind, tuple[str, str]] = {
    NotificationKind.LIKE: ("New like", "liked your post"),
    NotificationKind.COMMENT: ("New comment", "commented on your post"),
    NotificationKind.REPLY: ("New reply", "replied to your comment"),
    NotificationKind.MENTION: ("New mention", "mentioned you"),
    NotificationKind.FOLLOW: ("New follower", "followed you"),
    NotificationKind.FOLLOW_REQUEST: ("Follow request", "asked to follow you"),
    NotificationKind.SHARE: ("New share", "shared your post"),
}
"""Each kind's title and what the actor did (after their username)."""

_GROUPED = frozenset({NotificationKind.LIKE, NotificationKind.SHARE, NotificationKind.FOLLOW})
"""Kinds shown as one group per object (NOTIF-4): a newer push of the group may replace an
older one the device has not received yet. Comments, replies, mentions and requests are each
their own."""


def push_topic(notification: Notification) -> str | None:
    """RFC 8030 §5.4 topic of the notification's group (``None`` when it has none): a short
    hash, so the push service learns nothing of the post or the kind."""
    if notification.kind not in _GROUPED:
        return None
    about = f"{notification.kind.value}:{notification.post_id or notification.recipient_id}"
    return base64url(hashlib.sha256(about.encode()).digest()[:16])  # 22 characters


def push_message(notification: Notification, actor: User, ttl_s: int) -> PushMessage:
    """The payload (UTF-8 JSON, see docs/api.md) and its delivery options."""
    title, did = _WORDS[notification.kind]
    payload = {
        "notification_id": str(notification.id),
        "kind": notification.kind.value,
        "actor": {
            "id": str(actor.id),
            "username": actor.username,
            "display_name": actor.display_name,
        },
        "post_id": str(notification.post_id) if notification.post_id else None,
        "title": title,
        "body": f"{actor.username} {did}",
    }
    return PushMessage(
        payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
        ttl_s=ttl_s,
        urgency="high" if notification.kind is NotificationKind.FOLLOW_REQUEST else "normal",
        topic=push_topic(notification),
    )


class DeliverPushNotification:
    """Rules: nothing when the device or the notification is gone, the device no longer wants
    the kind, or the recipient may no longer hear of the actor or see the post
    (``may_hear_of``, as when the notification was made); nothing once ``ttl_s`` has passed
    since the notification (a retry never sends what the push service would have dropped),
    else the rest of it as the TTL. A device the push service says is gone is removed; a
    transient failure raises ``Unavailable`` (the job is retried); a refusal ends the job."""

    def __init__(self, *, uow: UowFactory, sender: PushSender, clock: Clock, ttl_s: int) -> None:
        self._uow = uow
        self._sender = sender
        self._clock = clock
        self._ttl_s = ttl_s

    async def execute(self, job: DeliverPush) -> PushOutcome | None:
        async with self._uow() as uow:
            device = await uow.push_subscriptions.get(job.subscription_id)
            if device is None:
                return None
            notification = await uow.notifications.get(device.user_id, job.notification_id)
            if notification is None or not device.wants(notification.kind):
                return None
            actor = await uow.users.get(notification.actor_id)
            recipient = await uow.users.get(device.user_id)
            if actor is None or recipient is None:
                return None
            if not await may_hear_of(uow, actor, recipient, notification.post_id):
                return None
        age_s = (self._clock.now() - notification.created_at).total_seconds()
        ttl_s = int(self._ttl_s - max(0.0, age_s))
        if ttl_s <= 0:
            return None
        outcome = await self._sender.send(device, push_message(notification, actor, ttl_s))
        if outcome is PushOutcome.GONE:
            await self._forget(device.id)
        elif outcome is PushOutcome.RETRY:
            raise Unavailable(
                "The push service is unavailable; the push is retried.", dependency="push"
            )
        elif outcome is PushOutcome.REFUSED:
            log.warning(
                "push refused, not retried",
                extra={"subscription": str(device.id), "notification": str(notification.id)},
            )
        return outcome

    async def _forget(self, subscription_id: UUID) -> None:
        async with self._uow() as uow:
            await uow.push_subscriptions.remove(subscription_id)
            await uow.commit()
