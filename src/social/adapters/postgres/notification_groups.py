"""A recipient's notification groups (NOTIF-4), read from the rows there now: two statements
a page whatever the number of notifications in it — the page's group heads (each group's
newest notification, found newest first along ``ix_notifications_recipient_recent`` and
checked against ``ix_notifications_recipient_group``), then the count, read state and newest
actors of those groups at once (window functions over the group index)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import String, any_, exists, func, literal, select, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from social.adapters.postgres.notification_tables import NotificationRow
from social.domain.notifications.model import NotificationGroup
from social.domain.shared.clock import Clock
from social.domain.shared.notification_kinds import NotificationKind
from social.domain.shared.pagination import Cursor, Page, PageRequest, page_of

__all__ = ["mark_group_read", "notification_groups"]


async def notification_groups(
    db: AsyncSession, recipient_id: UUID, page: PageRequest[Cursor], actors: int
) -> Page[NotificationGroup, Cursor]:
    heads = (await db.execute(_heads(recipient_id, page))).all()
    keys = [head.group_key for head in heads[: page.limit]]
    details = await _details(db, recipient_id, keys, max(actors, 1))
    found = page_of(heads, page.limit, lambda head: head, _position)
    # a group emptied by another transaction between the two statements is gone
    items = [_group(h, details[h.group_key], actors) for h in found.items if h.group_key in details]
    return Page(items, found.next_cursor)


async def mark_group_read(db: AsyncSession, clock: Clock, recipient_id: UUID, key: str) -> int:
    r = NotificationRow
    changed = await db.execute(
        update(r)
        .where(r.recipient_id == recipient_id, r.group_key == key, r.read_at.is_(None))
        .values(read_at=clock.now())
        .returning(r.id)
        .execution_options(synchronize_session=False)
    )
    return len(changed.all())


def _heads(recipient_id: UUID, page: PageRequest[Cursor]) -> Any:
    """``limit + 1`` group heads after the cursor, newest first: the notifications with no
    newer one in their group."""
    r, newer = NotificationRow, aliased(NotificationRow)
    position = tuple_(r.created_at, r.id)
    query = select(r.group_key, r.kind, r.post_id, r.created_at, r.id).where(
        r.recipient_id == recipient_id,
        ~exists().where(
            newer.recipient_id == recipient_id,
            newer.group_key == r.group_key,
            tuple_(newer.created_at, newer.id) > position,
        ),
    )
    if page.after is not None:
        query = query.where(position < (page.after.at, page.after.id))
    return query.order_by(r.created_at.desc(), r.id.desc()).limit(page.limit + 1)


async def _details(
    db: AsyncSession, recipient_id: UUID, keys: Sequence[str], actors: int
) -> dict[str, tuple[int, bool, list[UUID]]]:
    """Each group's (count, every one read, its ``actors`` newest actors, newest first)."""
    if not keys:
        return {}
    r = NotificationRow
    group = (r.group_key,)
    ranked = (
        select(
            r.group_key,
            r.actor_id,
            func.count().over(partition_by=group).label("count"),
            func.bool_and(r.read_at.is_not(None)).over(partition_by=group).label("read"),
            func.row_number()
            .over(partition_by=group, order_by=(r.created_at.desc(), r.id.desc()))
            .label("rank"),
        )
        .where(
            r.recipient_id == recipient_id,
            r.group_key == any_(literal(list(keys), ARRAY(String))),
        )
        .subquery()
    )
    rows = await db.execute(
        select(ranked.c.group_key, ranked.c.actor_id, ranked.c.count, ranked.c.read)
        .where(ranked.c.rank <= actors)
        .order_by(ranked.c.group_key, ranked.c.rank)
    )
    found: dict[str, tuple[int, bool, list[UUID]]] = {}
    for key, actor_id, count, read in rows:
        found.setdefault(key, (int(count), bool(read), []))[2].append(actor_id)
    return found


def _position(head: Any) -> Cursor:
    return Cursor(head.created_at, head.id)


def _group(head: Any, details: tuple[int, bool, list[UUID]], actors: int) -> NotificationGroup:
    count, read, actor_ids = details
    return NotificationGroup(
        key=head.group_key,
        kind=NotificationKind(head.kind),
        post_id=head.post_id,
        count=count,
        actor_ids=tuple(actor_ids[:actors]),
        latest_at=head.created_at,
        latest_id=head.id,
        read=read,
    )
