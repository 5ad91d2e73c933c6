"""Grouped notifications (NOTIF-4): "alice and 23 others liked your post" — likes and shares
of one post, follows of one day, each as one entry with a count, its latest actors and its
newest time; marking one group read. The grouping rule is ``model.group_key``."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.notifications.model import NotificationGroup, parse_group_key
from social.domain.notifications.ports import NotificationsUnitOfWorkFactory
from social.domain.reads.cards import Reads, show_accounts
from social.domain.reads.model import AccountCard
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = [
    "ACTORS_LOOKED_AT",
    "ACTORS_SHOWN",
    "GroupView",
    "ListNotificationGroups",
    "MarkGroupRead",
]

ACTORS_SHOWN = 3
ACTORS_LOOKED_AT = 10
"""The newest actors of each group looked at, so hidden ones can be passed over."""


@dataclass(frozen=True, slots=True)
class GroupView:
    group: NotificationGroup
    actors: list[AccountCard]
    """The newest actors the viewer may see, newest first, at most ``ACTORS_SHOWN``."""
    actors_count: int


class ListNotificationGroups:
    """Rules: one's own notifications only, in their groups, the group with the newest
    notification first, by cursor; read from the notifications there now, so a withdrawn like
    is gone from its group (its count, its actors) and an emptied group from the list. An
    actor the recipient can no longer see (blocked either way since, suspended, deleted: as
    the flat list) or mutes since (no notification is raised from a muted account) is not
    shown, nor counted as far as the ``ACTORS_LOOKED_AT`` newest actors of the group go (an
    older hidden one still counts: a number names nobody); a group with none of those visible
    is left out, as the flat list leaves out their notifications. A group's time is that of
    its newest notification (its place in the list). A handful of statements a page."""

    def __init__(self, *, uow: NotificationsUnitOfWorkFactory, reads: Reads) -> None:
        self._uow = uow
        self._reads = reads

    async def execute(self, viewer: Viewer, page: PageRequest[Cursor]) -> Page[GroupView, Cursor]:
        async with self._uow() as uow:
            found = await uow.notifications.groups(viewer.user_id, page, actors=ACTORS_LOOKED_AT)
        wanted = list(dict.fromkeys(a for g in found.items for a in g.actor_ids))
        visible = {
            card.state.id: card
            for card in await show_accounts(self._reads, viewer, wanted)
            if card.relationship is None or not card.relationship.muting
        }
        items = []
        for group in found.items:
            shown = [visible[a] for a in group.actor_ids if a in visible]
            if shown:
                hidden = len(group.actor_ids) - len(shown)
                items.append(GroupView(group, shown[:ACTORS_SHOWN], group.count - hidden))
        return Page(items=items, next_cursor=found.next_cursor)


class MarkGroupRead:
    """Rules: every notification of one of one's groups (named by its key, as listed: anything
    else is invalid); a group that is not there (emptied since, or another's) changes nothing,
    as marking read up to an unknown notification does. How many changed."""

    def __init__(self, *, uow: NotificationsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, group_id: str) -> int:
        key = parse_group_key(group_id)
        async with self._uow() as uow:
            changed = await uow.notifications.mark_group_read(viewer.user_id, key)
            await uow.commit()
        return changed
