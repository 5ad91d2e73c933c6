"""What notifications need: their store, and a way to reach a user's open sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol
from uuid import UUID

from social.domain.interactions.ports import InteractionsUnitOfWork
from social.domain.notifications.model import Notification, NotificationGroup, StreamEvent
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
        self,
        recipient_id: UUID,
        page: PageRequest[Cursor],
        kinds: Collection[NotificationKind] = (),
    ) -> Page[Notification, Cursor]:
        """The recipient's notifications, newest first (only of ``kinds`` when given)."""
        ...

    async def newer(
        self,
        recipient_id: UUID,
        than: Cursor,
        limit: int,
        kinds: Collection[NotificationKind] = (),
        *,
        closest: bool = False,
    ) -> list[Notification]:
        """At most ``limit`` of the recipient's notifications after ``than`` in time order,
        newest first: the newest ones, or with ``closest`` the ones right after ``than`` (a
        client paging back towards the present)."""
        ...

    async def get(self, recipient_id: UUID, notification_id: UUID) -> Notification | None:
        """One of the recipient's notifications (another's is ``None``)."""
        ...

    async def dismiss(self, recipient_id: UUID, notification_id: UUID) -> bool:
        """Delete one of the recipient's notifications; ``False`` if there was none."""
        ...

    async def clear(self, recipient_id: UUID) -> int:
        """Delete every notification of the recipient; how many went."""
        ...

    async def unread_count(self, recipient_id: UUID) -> int: ...

    async def mark_read(self, recipient_id: UUID, up_to: UUID | None) -> int:
        """Mark read every unread notification (up to and including ``up_to``, by time order,
        when given); how many changed."""
        ...

    async def groups(
        self, recipient_id: UUID, page: PageRequest[Cursor], *, actors: int = 3
    ) -> Page[NotificationGroup, Cursor]:
        """The recipient's notification groups (``Notification.group_key``), the one with the
        newest notification first, each with its ``actors`` newest actors; read from the rows
        there now. The cursor is the newest notification of the page's last group, so pages
        never repeat or skip a group that keeps its place. A bounded number of statements
        whatever the page."""
        ...

    async def mark_group_read(self, recipient_id: UUID, group_key: str) -> int:
        """Mark read every unread notification of one of the recipient's groups; how many
        changed (none for a group that is not there)."""
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
