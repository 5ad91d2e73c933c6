"""The notifications context's Web Push use cases (NOTIF-3): devices and delivery."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.notifications.deliver_push import DeliverPushNotification
from social.domain.notifications.push_subscriptions import (
    PushPublicKey,
    SubscribePush,
    UnsubscribePush,
)

__all__ = ["PushUseCases", "build"]


@dataclass(frozen=True, slots=True)
class PushUseCases:
    push_public_key: PushPublicKey
    subscribe_push: SubscribePush
    unsubscribe_push: UnsubscribePush
    deliver_push_notification: DeliverPushNotification


def build(a: Adapters) -> PushUseCases:
    return PushUseCases(
        push_public_key=PushPublicKey(sender=a.push),
        subscribe_push=SubscribePush(uow=a.uow, guard=a.push_guard, clock=a.clock),
        unsubscribe_push=UnsubscribePush(uow=a.uow),
        deliver_push_notification=DeliverPushNotification(
            uow=a.uow, sender=a.push, clock=a.clock, ttl_s=a.settings.push.push_ttl_s
        ),
    )
