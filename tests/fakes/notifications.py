"""In-memory notifications, on a unit of work's copy of the store, like PostgreSQL's."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.notifications.model import Notification, NotificationGroup
from social.domain.shared.notification_kinds import NotificationKind
from social.domain.shared.pagination import Cursor, Page, PageRequest, page_of

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryNotificationRepository"]


def _key(n: Notification) -> tuple[UUID, str, UUID, UUID | None, UUID | None]:
    return (n.recipient_id, n.kind.value, n.actor_id, n.post_id, n.comment_id)


class InMemoryNotificationRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    def _live(self) -> list[Notification]:
        """ON DELETE CASCADE: gone with their post, comment or either account."""
        w = self._w
        return [
            n
            for n in w.notifications.values()
            if n.recipient_id in w.users
            and n.actor_id in w.users
            and (n.post_id is None or n.post_id in w.posts)
            and (n.comment_id is None or n.comment_id in w.comments)
        ]

    async def add(self, notification: Notification) -> Notification | None:
        if any(_key(n) == _key(notification) for n in self._live()):
            return None
        self._w.notifications[notification.id] = notification
        return notification

    async def withdraw(
        self,
        kind: NotificationKind,
        actor_id: UUID,
        *,
        recipient_id: UUID | None = None,
        post_id: UUID | None = None,
        comment_id: UUID | None = None,
    ) -> int:
        gone = [
            n.id
            for n in self._live()
            if n.kind is kind
            and n.actor_id == actor_id
            and (recipient_id is None or n.recipient_id == recipient_id)
            and (post_id is None or n.post_id == post_id)
            and (comment_id is None or n.comment_id == comment_id)
        ]
        for notification_id in gone:
            del self._w.notifications[notification_id]
        return len(gone)

    def _mine(self, recipient_id: UUID, kinds: Collection[NotificationKind]) -> list[Notification]:
        """Newest first."""
        return sorted(
            (
                n
                for n in self._live()
                if n.recipient_id == recipient_id and (not kinds or n.kind in kinds)
            ),
            key=lambda n: (n.created_at, n.id),
            reverse=True,
        )

    async def page(
        self,
        recipient_id: UUID,
        page: PageRequest[Cursor],
        kinds: Collection[NotificationKind] = (),
    ) -> Page[Notification, Cursor]:
        mine = self._mine(recipient_id, kinds)
        if page.after is not None:
            mine = [n for n in mine if (n.created_at, n.id) < (page.after.at, page.after.id)]
        items = mine[: page.limit]
        last = items[-1] if len(mine) > page.limit else None
        return Page(items, Cursor(last.created_at, last.id) if last else None)

    async def newer(
        self,
        recipient_id: UUID,
        than: Cursor,
        limit: int,
        kinds: Collection[NotificationKind] = (),
        *,
        closest: bool = False,
    ) -> list[Notification]:
        after = [
            n for n in self._mine(recipient_id, kinds) if (n.created_at, n.id) > (than.at, than.id)
        ]
        return after[-limit:] if closest else after[:limit]

    async def get(self, recipient_id: UUID, notification_id: UUID) -> Notification | None:
        found = next((n for n in self._live() if n.id == notification_id), None)
        return found if found is not None and found.recipient_id == recipient_id else None

    async def dismiss(self, recipient_id: UUID, notification_id: UUID) -> bool:
        if await self.get(recipient_id, notification_id) is None:
            return False
        del self._w.notifications[notification_id]
        return True

    async def clear(self, recipient_id: UUID) -> int:
        gone = [n.id for n in self._live() if n.recipient_id == recipient_id]
        for notification_id in gone:
            del self._w.notifications[notification_id]
        return len(gone)

    async def unread_count(self, recipient_id: UUID) -> int:
        return sum(1 for n in self._live() if n.recipient_id == recipient_id and not n.read)

    async def mark_read(self, recipient_id: UUID, up_to: UUID | None) -> int:
        live = self._live()
        mine = [n for n in live if n.recipient_id == recipient_id and not n.read]
        if up_to is not None:
            # a mark gone with its post or comment is unknown, as in PostgreSQL
            mark = next((n for n in live if n.id == up_to), None)
            if mark is None or mark.recipient_id != recipient_id:
                return 0
            mine = [n for n in mine if (n.created_at, n.id) <= (mark.created_at, mark.id)]
        for n in mine:
            self._w.notifications[n.id] = replace(n, read=True)
        return len(mine)

    async def groups(
        self, recipient_id: UUID, page: PageRequest[Cursor], *, actors: int = 3
    ) -> Page[NotificationGroup, Cursor]:
        by_key: dict[str, list[Notification]] = {}
        for n in self._mine(recipient_id, ()):  # newest first, so each group's too
            by_key.setdefault(n.group_key, []).append(n)
        groups = [_group(members, actors) for members in by_key.values()]  # newest head first
        if page.after is not None:
            after = (page.after.at, page.after.id)
            groups = [g for g in groups if (g.latest_at, g.latest_id) < after]
        return page_of(
            groups[: page.limit + 1],
            page.limit,
            lambda g: g,
            lambda g: Cursor(g.latest_at, g.latest_id),
        )

    async def mark_group_read(self, recipient_id: UUID, group_key: str) -> int:
        mine = [n for n in self._mine(recipient_id, ()) if n.group_key == group_key and not n.read]
        for n in mine:
            self._w.notifications[n.id] = replace(n, read=True)
        return len(mine)


def _group(members: list[Notification], actors: int) -> NotificationGroup:
    """A group from its notifications, newest first."""
    head = members[0]
    return NotificationGroup(
        key=head.group_key,
        kind=head.kind,
        post_id=head.post_id,
        count=len(members),
        actor_ids=tuple(n.actor_id for n in members[:actors]),
        latest_at=head.created_at,
        latest_id=head.id,
        read=all(n.read for n in members),
    )
