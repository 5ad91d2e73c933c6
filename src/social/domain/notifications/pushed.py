"""A notification the stream pushed, with what a client needs to show it: the actor's card and
the post or comment it is about, read as the recipient may see them now (NOTIF-2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from social.domain.interactions.read_status import CommentStatus, ReadStatus
from social.domain.notifications.model import Notification, StreamEvent
from social.domain.notifications.read_notifications import NotificationView
from social.domain.reads.cards import Reads, show_accounts
from social.domain.reads.model import PostCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["PushedNotification", "ShowPushedNotification"]


@dataclass(frozen=True, slots=True)
class PushedNotification:
    view: NotificationView
    status: PostCard | CommentStatus | None
    """The comment it is about, else its post; ``None`` for follows and requests."""


class ShowPushedNotification:
    """Rules: the list's (``ListNotifications``): one's own notification, from an actor one may
    still see; and what it is about must be visible to the recipient (``ReadStatus``), or the
    push shows nothing: the notification waits in the list, which applies the same rules."""

    def __init__(self, *, reads: Reads, read_status: ReadStatus) -> None:
        self._reads = reads
        self._read_status = read_status

    async def execute(self, viewer: Viewer, event: StreamEvent) -> PushedNotification | None:
        notification = _announced(event, viewer.user_id)
        if notification is None:
            return None
        actors = await show_accounts(self._reads, viewer, [notification.actor_id])
        if not actors:
            return None
        about = notification.comment_id or notification.post_id
        status: PostCard | CommentStatus | None = None
        if about is not None:
            try:
                found = await self._read_status.execute(viewer, about)
            except NotFound:
                return None
            if not isinstance(found, PostCard | CommentStatus):
                return None  # a share's id is never what a notification is about
            status = found
        return PushedNotification(NotificationView(notification, actors[0]), status)


def _uuid(value: object) -> UUID | None:
    return UUID(value) if isinstance(value, str) else None


def _announced(event: StreamEvent, recipient_id: UUID) -> Notification | None:
    """The notification a ``notification`` event carries (``notification_event``)."""
    data = event.data
    try:
        return Notification(
            id=UUID(data["id"]),
            recipient_id=recipient_id,
            kind=NotificationKind(data["kind"]),
            actor_id=UUID(data["actor"]["id"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            post_id=_uuid(data.get("post_id")),
            comment_id=_uuid(data.get("comment_id")),
            read=bool(data.get("read", False)),
        )
    except (KeyError, TypeError, ValueError):
        return None
