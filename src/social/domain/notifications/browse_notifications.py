"""Notifications as a client app pages them (NOTIF-1): around a given notification in either
direction, of some kinds only, each with what it is about (the post, or the comment and its
post), and managed one by one (read one, dismiss one, clear all)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from social.domain.notifications.model import Notification
from social.domain.notifications.ports import NotificationRepository
from social.domain.notifications.ports import NotificationsUnitOfWorkFactory as UowFactory
from social.domain.reads.cards import Reads, show_accounts, show_posts
from social.domain.reads.model import AccountCard, Comment, PostCard
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.notification_kinds import NotificationKind
from social.domain.shared.pagination import Cursor, PageRequest

__all__ = [
    "BrowseNotifications",
    "ClearNotifications",
    "CommentSubject",
    "DismissNotification",
    "GetNotification",
    "NotificationBatch",
    "NotificationItem",
    "NotificationWindow",
]


@dataclass(frozen=True, slots=True)
class NotificationWindow:
    """Which notifications: those ``older_than`` one (the next page), down to ``newer_than``
    one when both are given; else those ``newer_than`` one (the newest ones, or with
    ``adjacent`` the ones right after it: paging back); else the newest. Only of ``kinds``
    when given."""

    limit: int = 20
    older_than: UUID | None = None
    newer_than: UUID | None = None
    adjacent: bool = False
    kinds: frozenset[NotificationKind] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class CommentSubject:
    """A comment as its notification shows it: with its author, the post it is on and whom it
    answers (the parent comment's author for a reply, else the post's author)."""

    comment: Comment
    author: AccountCard
    post: PostCard
    answers_account_id: UUID


@dataclass(frozen=True, slots=True)
class NotificationItem:
    notification: Notification
    actor: AccountCard
    post: PostCard | None = None
    """The post it is about (a like, a share, a mention in a caption); ``None`` for follows."""
    comment: CommentSubject | None = None
    """The comment it is about (a comment, a reply, a mention in a comment)."""


@dataclass(frozen=True, slots=True)
class NotificationBatch:
    """The items, newest first, and the ids of the newest and oldest notifications looked at
    (shown or not), from which a client continues either way; ``more`` when older ones may
    follow."""

    items: list[NotificationItem]
    newest: UUID | None
    oldest: UUID | None
    more: bool


class BrowseNotifications:
    """Rules: one's own notifications only, newest first; those whose actor one can no longer
    see (blocked since, suspended, deleted), or whose post or comment one can no longer see,
    are left out; a notification named as the edge of the window that is gone (dismissed) still
    marks its place by the time in its id."""

    def __init__(self, *, uow: UowFactory, reads: Reads) -> None:
        self._uow = uow
        self._reads = reads

    async def execute(self, viewer: Viewer, window: NotificationWindow) -> NotificationBatch:
        me, kinds, limit = viewer.user_id, window.kinds, window.limit
        async with self._uow() as uow:
            notes = uow.notifications
            than = None
            if window.newer_than is not None:
                than = await _position(notes, me, window.newer_than)
            if window.older_than is None and than is not None:
                found = await notes.newer(me, than, limit, kinds, closest=window.adjacent)
                more = True
            else:
                after = None
                if window.older_than is not None:
                    after = await _position(notes, me, window.older_than)
                page = await notes.page(me, PageRequest(limit=limit, after=after), kinds)
                found, more = page.items, page.next_cursor is not None
                if than is not None:  # between the two: down to ``newer_than`` only
                    bound = (than.at, than.id)
                    kept = [n for n in found if (n.created_at, n.id) > bound]
                    found, more = kept, more and len(kept) == len(found)
        items = await with_subjects(self._reads, viewer, found)
        return NotificationBatch(
            items=items,
            newest=found[0].id if found else None,
            oldest=found[-1].id if found else None,
            more=more and bool(found),
        )


class GetNotification:
    """Rules: one's own only, and only while its actor and subject are visible (else not
    found, as for anything hidden)."""

    def __init__(self, *, uow: UowFactory, reads: Reads) -> None:
        self._uow = uow
        self._reads = reads

    async def execute(self, viewer: Viewer, notification_id: UUID) -> NotificationItem:
        async with self._uow() as uow:
            found = await uow.notifications.get(viewer.user_id, notification_id)
        items = await with_subjects(self._reads, viewer, [found] if found else [])
        if not items:
            raise NotFound("No such notification.")
        return items[0]


class DismissNotification:
    """Rules: one's own only (another's is not found); dismissing deletes it."""

    def __init__(self, *, uow: UowFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, notification_id: UUID) -> None:
        async with self._uow() as uow:
            if not await uow.notifications.dismiss(viewer.user_id, notification_id):
                raise NotFound("No such notification.")
            await uow.commit()


class ClearNotifications:
    """Rules: deletes all of one's notifications; clearing none is fine."""

    def __init__(self, *, uow: UowFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer) -> int:
        async with self._uow() as uow:
            cleared = await uow.notifications.clear(viewer.user_id)
            await uow.commit()
        return cleared


async def _position(notes: NotificationRepository, recipient_id: UUID, edge: UUID) -> Cursor:
    found = await notes.get(recipient_id, edge)
    if found is not None:
        return Cursor(found.created_at, found.id)
    return Cursor(datetime.fromtimestamp((edge.int >> 80) / 1000, UTC), edge)


async def with_subjects(
    reads: Reads, viewer: Viewer, found: Sequence[Notification]
) -> list[NotificationItem]:
    """The notifications the viewer may still see, with their actors and subjects: a handful
    of statements whatever the batch."""
    if not found:
        return []
    comments = await reads.listings.comments_by_id(
        {n.comment_id for n in found if n.comment_id is not None}
    )
    parents = await reads.listings.comments_by_id(
        {c.parent_id for c in comments.values() if c.parent_id is not None} - comments.keys()
    )
    parents.update(comments)
    post_ids = {n.post_id for n in found if n.post_id is not None}
    post_ids.update(c.post_id for c in comments.values())
    posts = {card.state.id: card for card in await show_posts(reads, viewer, list(post_ids))}
    people = [n.actor_id for n in found] + [c.author_id for c in comments.values()]
    accounts = {
        card.state.id: card
        for card in await show_accounts(reads, viewer, list(dict.fromkeys(people)))
    }
    items = []
    for n in found:
        actor = accounts.get(n.actor_id)
        if actor is None:
            continue
        if n.comment_id is not None:
            comment = comments.get(n.comment_id)
            subject = (
                None if comment is None else _comment_subject(comment, posts, accounts, parents)
            )
            if subject is not None:
                items.append(NotificationItem(n, actor, comment=subject))
        elif n.post_id is not None:
            if (post := posts.get(n.post_id)) is not None:
                items.append(NotificationItem(n, actor, post=post))
        else:
            items.append(NotificationItem(n, actor))
    return items


def _comment_subject(
    comment: Comment,
    posts: Mapping[UUID, PostCard],
    accounts: Mapping[UUID, AccountCard],
    comments: Mapping[UUID, Comment],
) -> CommentSubject | None:
    """``None`` when its post or its author is hidden from the viewer (or gone)."""
    post, author = posts.get(comment.post_id), accounts.get(comment.author_id)
    if post is None or author is None:
        return None
    parent = comments.get(comment.parent_id) if comment.parent_id is not None else None
    answers = parent.author_id if parent is not None else post.state.author_id
    return CommentSubject(comment, author, post, answers)
