"""What notifications need: their store, and a way to reach a user's open sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol
from uuid import UUID

from social.domain.interactions.ports import InteractionsUnitOfWork
from social.domain.notifications.model import Notification, StreamEvent
from social.domain.shared.notification_kinds import NotificationKind
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = [
    "EventStream",
    "NotificationRepository",
    "NotificationsUnitOfWork",
    "NotificationsUnitOfWorkFactory",
]


class NotificationRepository(Protocol):
    async def add(self, notification: Notification) -> Notification | None:
        """Store it unless the same (recipient, kind, actor, post, comment) exists; the stored
        one, or ``None`` when it was already there."""
        ...

    async def withdraw(
        self,
        kind: NotificationKind,
        actor_id: UUID,
        *,
        recipient_id: UUID | None = None,
        post_id: UUID | None = None,
        comment_id: UUID | None = None,
    ) -> int:
        """Remove what this actor's action of this kind caused (matching every given field);
        how many went."""
        ...

    async def page(
        self, recipient_id: UUID, page: PageRequest[Cursor]
    ) -> Page[Notification, Cursor]:
        """The recipient's notifications, newest first."""
        ...

    async def unread_count(self, recipient_id: UUID) -> int: ...

    async def mark_read(self, recipient_id: UUID, up_to: UUID | None) -> int:
        """Mark read every unread notification (up to and including ``up_to``, by time order,
        when given); how many changed."""
        ...


class NotificationsUnitOfWork(InteractionsUnitOfWork, Protocol):
    @property
    def notifications(self) -> NotificationRepository: ...


NotificationsUnitOfWorkFactory = Callable[[], NotificationsUnitOfWork]


class EventStream(Protocol):
    """Publish and subscribe across every API process (Redis pub/sub in production, process
    memory embedded). Delivery is best effort and immediate: a socket that is not open misses
    the event, and catches up through the list endpoints."""

    async def publish(self, user_ids: Sequence[UUID], event: StreamEvent) -> None: ...

    def subscribe(self, user_id: UUID) -> AbstractAsyncContextManager[AsyncIterator[StreamEvent]]:
        """Events for ``user_id`` from now on, while the context is open."""
        ...
