"""Reading notifications: the list, the unread count, marking read (NOTIF-1)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.notifications.model import Notification
from social.domain.notifications.ports import NotificationsUnitOfWorkFactory
from social.domain.reads.cards import Reads, show_accounts
from social.domain.reads.model import AccountCard
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["ListNotifications", "MarkNotificationsRead", "NotificationView", "UnreadCount"]


@dataclass(frozen=True, slots=True)
class NotificationView:
    notification: Notification
    actor: AccountCard


class ListNotifications:
    """Rules: one's own notifications only, newest first by cursor; those whose actor one can
    no longer see (blocked since, suspended, deleted) are left out."""

    def __init__(self, *, uow: NotificationsUnitOfWorkFactory, reads: Reads) -> None:
        self._uow = uow
        self._reads = reads

    async def execute(
        self, viewer: Viewer, page: PageRequest[Cursor]
    ) -> Page[NotificationView, Cursor]:
        async with self._uow() as uow:
            found = await uow.notifications.page(viewer.user_id, page)
        actors = list(dict.fromkeys(n.actor_id for n in found.items))
        views = {card.state.id: card for card in await show_accounts(self._reads, viewer, actors)}
        items = [NotificationView(n, views[n.actor_id]) for n in found.items if n.actor_id in views]
        return Page(items=items, next_cursor=found.next_cursor)


class UnreadCount:
    def __init__(self, *, uow: NotificationsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer) -> int:
        async with self._uow() as uow:
            return await uow.notifications.unread_count(viewer.user_id)


class MarkNotificationsRead:
    """Rules: all of one's notifications, or those up to (and including) a given one."""

    def __init__(self, *, uow: NotificationsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, up_to: UUID | None = None) -> int:
        async with self._uow() as uow:
            changed = await uow.notifications.mark_read(viewer.user_id, up_to)
            await uow.commit()
        return changed
