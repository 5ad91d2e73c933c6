"""Turn what people do into notifications for the people it concerns (NOTIF-1), and push them
to those people's open sockets (NOTIF-2). Run by jobs, after the action committed."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.notifications.audience import may_hear_of
from social.domain.notifications.jobs import DeliverPush
from social.domain.notifications.model import Notification, StreamEvent
from social.domain.notifications.ports import EventStream, NotificationsUnitOfWork
from social.domain.notifications.ports import NotificationsUnitOfWorkFactory as UowFactory
from social.domain.notifications.push_ports import PushSubscription, PushUnitOfWork
from social.domain.notifications.push_ports import PushUnitOfWorkFactory as PushUowFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Unavailable
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import SendNotification, WithdrawNotification
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["Notify", "WithdrawNotifications", "notification_event"]

log = logging.getLogger(__name__)

_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{3,30})")


def notification_event(notification: Notification, actor: User) -> StreamEvent:
    """The compact form the stream carries (the list endpoint has the full object)."""
    return StreamEvent(
        "notification",
        {
            "id": str(notification.id),
            "kind": notification.kind.value,
            "actor": {
                "id": str(actor.id),
                "username": actor.username,
                "display_name": actor.display_name,
            },
            "post_id": str(notification.post_id) if notification.post_id else None,
            "comment_id": str(notification.comment_id) if notification.comment_id else None,
            "read": notification.read,
            "created_at": notification.created_at.isoformat(),
        },
    )


class Notify:
    """Rules: never for one's own action; never from an account the recipient blocked, is
    blocked by or mutes; never about a post the recipient may not see; the same action twice is
    one notification. A like or a share tells the post's author; a comment tells the post's
    author, a reply tells the comment's author (and the post's author as a comment); ``@names``
    in a post or a comment are mentions; a follow or a request tells the account followed.
    Each new notification is pushed (a ``DeliverPush`` job, queued with it) to every device
    of its recipient that wants its kind."""

    def __init__(self, *, uow: PushUowFactory, stream: EventStream, clock: Clock) -> None:
        self._uow = uow
        self._stream = stream
        self._clock = clock

    async def execute(self, command: SendNotification) -> int:
        async with self._uow() as uow:
            actor = await uow.users.get(command.actor_id)
            if actor is None or not actor.is_active:
                return 0
            wanted = await self._recipients(uow, command)
            created: list[Notification] = []
            for recipient_id, kind in wanted:
                if recipient_id == actor.id:
                    continue
                made = await self._deliverable(uow, actor, recipient_id, kind, command)
                if made is not None and (stored := await uow.notifications.add(made)):
                    created.append(stored)
            await self._queue_pushes(uow, created)
            await uow.commit()
        for notification in created:
            try:
                await self._stream.publish(
                    [notification.recipient_id], notification_event(notification, actor)
                )
            except Unavailable:  # stored all the same: the list endpoint has it
                log.warning("stream unavailable: a notification waits for the list")
        return len(created)

    async def _queue_pushes(self, uow: PushUnitOfWork, created: list[Notification]) -> None:
        """One job per (notification, device that wants its kind); one lookup per recipient."""
        devices: dict[UUID, Sequence[PushSubscription]] = {}
        for notification in created:
            recipient = notification.recipient_id
            if recipient not in devices:
                devices[recipient] = await uow.push_subscriptions.for_user(recipient)
            for device in devices[recipient]:
                if device.wants(notification.kind):
                    await uow.jobs.enqueue(DeliverPush(notification.id, device.id))

    async def _recipients(
        self, uow: NotificationsUnitOfWork, command: SendNotification
    ) -> list[tuple[UUID, NotificationKind]]:
        kind = command.kind
        if kind in (NotificationKind.FOLLOW, NotificationKind.FOLLOW_REQUEST):
            return [(command.user_id, kind)] if command.user_id else []
        post = await uow.posts.get(command.post_id) if command.post_id else None
        if post is None:
            return []
        if kind in (NotificationKind.LIKE, NotificationKind.SHARE):
            return [(post.author_id, kind)]
        if kind is NotificationKind.MENTION:
            return await self._mentioned(uow, post.mentions)
        comment = await uow.comments.get(command.comment_id) if command.comment_id else None
        if comment is None:
            return []
        found: list[tuple[UUID, NotificationKind]] = []
        if comment.parent_id and (parent := await uow.comments.get(comment.parent_id)):
            found.append((parent.author_id, NotificationKind.REPLY))
        if all(r != post.author_id for r, _ in found):
            found.append((post.author_id, NotificationKind.COMMENT))
        names = [m.lower().rstrip(".") for m in _MENTION.findall(comment.text)]
        mentioned = await self._mentioned(uow, tuple(dict.fromkeys(names)))
        return found + [m for m in mentioned if m[0] not in {r for r, _ in found}]

    async def _mentioned(
        self, uow: NotificationsUnitOfWork, names: tuple[str, ...]
    ) -> list[tuple[UUID, NotificationKind]]:
        found = []
        for name in names[:20]:  # a caption naming hundreds of people notifies twenty
            user = await uow.users.get_by_username(name)
            if user is not None:
                found.append((user.id, NotificationKind.MENTION))
        return found

    async def _deliverable(
        self,
        uow: NotificationsUnitOfWork,
        actor: User,
        recipient_id: UUID,
        kind: NotificationKind,
        command: SendNotification,
    ) -> Notification | None:
        recipient = await uow.users.get(recipient_id)
        if recipient is None or not await may_hear_of(uow, actor, recipient, command.post_id):
            return None
        return Notification(
            id=new_id(),
            recipient_id=recipient.id,
            kind=kind,
            actor_id=actor.id,
            created_at=self._clock.now(),
            post_id=command.post_id,
            comment_id=command.comment_id if kind is not NotificationKind.LIKE else None,
        )


class WithdrawNotifications:
    """Rules: undoing an action takes back what it caused — an unlike its like, an unshare its
    share, an unfollow its follow (and a withdrawn or decided request its request). Deleted
    posts and comments take theirs with them (the store cascades)."""

    def __init__(self, *, uow: UowFactory) -> None:
        self._uow = uow

    async def execute(self, command: WithdrawNotification) -> int:
        async with self._uow() as uow:
            removed = await uow.notifications.withdraw(
                command.kind,
                command.actor_id,
                recipient_id=command.user_id,
                post_id=command.post_id,
            )
            await uow.commit()
        return removed
