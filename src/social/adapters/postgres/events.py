"""Event albums in PostgreSQL (EVT-1). Lists are keyset pages; the title search is a plain
``ILIKE`` over the viewer's own events and the public ones (their indexes narrow it by owner
and by visibility first)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.event_tables import (
    EventRow,
    event_access,
    event_photos,
    event_recent,
    photo_bookmarks,
)
from social.adapters.postgres.keyset import any_of
from social.domain.events.model import Event, EventPhoto, EventVisibility, RecentEvent, SavedPhoto
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor, page_of

__all__ = ["SqlaEventRepository"]

_EVENT_COLUMNS = tuple(EventRow.__table__.columns)


class SqlaEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, event: Event) -> None:
        row = EventRow(id=event.id)
        _write(row, event)
        self._db.add(row)
        await self._db.flush()

    async def get(self, event_id: UUID) -> Event | None:
        row = await self._db.get(EventRow, event_id, populate_existing=True)
        return _event(row) if row else None

    async def update(self, event: Event) -> None:
        row = await self._db.get(EventRow, event.id)
        if row is None:
            raise LookupError(f"event {event.id} vanished during an update")
        _write(row, event)
        await self._db.flush()

    async def delete(self, event_id: UUID) -> bool:
        removed = await self._db.execute(
            delete(EventRow).where(EventRow.id == event_id).returning(EventRow.id)
        )
        return removed.first() is not None

    async def search(
        self, user_id: UUID, text: str, page: PageRequest[Cursor]
    ) -> Page[Event, Cursor]:
        e = EventRow
        query = select(*_EVENT_COLUMNS).where(
            or_(e.owner_id == user_id, e.visibility == EventVisibility.PUBLIC.value)
        )
        if text:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(e.title.ilike(f"%{escaped}%", escape="\\"))
        if page.after is not None:
            query = query.where(tuple_(e.created_at, e.id) < (page.after.at, page.after.id))
        rows = (
            await self._db.execute(
                query.order_by(e.created_at.desc(), e.id.desc()).limit(page.limit + 1)
            )
        ).all()
        return page_of(rows, page.limit, _event, lambda r: Cursor(r.created_at, r.id))

    async def photo_ids(self, event_id: UUID) -> list[UUID]:
        p = event_photos.c
        rows = await self._db.scalars(
            select(p.media_id).where(p.event_id == event_id).order_by(p.position)
        )
        return list(rows)

    async def events_of(self, media_ids: Iterable[UUID]) -> dict[UUID, EventPhoto]:
        ids = list(set(media_ids))
        if not ids:
            return {}
        rows = await self._db.execute(
            select(event_photos).where(any_of(event_photos.c.media_id, ids))
        )
        return {row.media_id: _photo(row) for row in rows}

    async def add_photos(self, event_id: UUID, media_ids: Iterable[UUID], now: datetime) -> None:
        ids = list(media_ids)
        if not ids:
            return
        await self._db.execute(  # one organiser's uploads to one event: serialized by the row
            select(EventRow.id).where(EventRow.id == event_id).with_for_update()
        )
        last = await self._db.scalar(
            select(func.coalesce(func.max(event_photos.c.position), 0)).where(
                event_photos.c.event_id == event_id
            )
        )
        start = int(last or 0) + 1
        await self._db.execute(
            pg_insert(event_photos)
            .values(
                [
                    {"media_id": m, "event_id": event_id, "position": start + i, "added_at": now}
                    for i, m in enumerate(ids)
                ]
            )
            .on_conflict_do_nothing()
        )

    async def remove_photos(self, event_id: UUID, media_ids: Iterable[UUID]) -> list[UUID]:
        ids = list(set(media_ids))
        if not ids:
            return []
        p = event_photos.c
        removed = await self._db.scalars(
            delete(event_photos)
            .where(p.event_id == event_id, any_of(p.media_id, ids))
            .returning(p.media_id)
        )
        return list(removed)

    async def photos(
        self, event_id: UUID, page: PageRequest[RankCursor]
    ) -> Page[EventPhoto, RankCursor]:
        p = event_photos.c
        query = select(event_photos).where(p.event_id == event_id)
        if page.after is not None:
            query = query.where(
                tuple_(p.position, p.media_id) > (int(page.after.rank), page.after.id)
            )
        rows = (
            await self._db.execute(query.order_by(p.position, p.media_id).limit(page.limit + 1))
        ).all()
        return page_of(rows, page.limit, _photo, lambda r: RankCursor(r.position, r.media_id))

    async def grant(self, user_id: UUID, event_id: UUID, now: datetime) -> None:
        await self._db.execute(
            pg_insert(event_access)
            .values(user_id=user_id, event_id=event_id, granted_at=now)
            .on_conflict_do_nothing()
        )

    async def granted(self, user_id: UUID, event_ids: Iterable[UUID]) -> set[UUID]:
        ids = list(set(event_ids))
        if not ids:
            return set()
        a = event_access.c
        rows = await self._db.scalars(
            select(a.event_id).where(a.user_id == user_id, any_of(a.event_id, ids))
        )
        return set(rows)

    async def revoke_all(self, event_id: UUID) -> None:
        await self._db.execute(delete(event_access).where(event_access.c.event_id == event_id))

    async def record_opened(self, user_id: UUID, event_id: UUID, now: datetime, keep: int) -> None:
        r = event_recent.c
        insert = pg_insert(event_recent).values(user_id=user_id, event_id=event_id, opened_at=now)
        await self._db.execute(
            insert.on_conflict_do_update(
                index_elements=[r.user_id, r.event_id], set_={"opened_at": now}
            )
        )
        kept = (
            select(r.event_id)
            .where(r.user_id == user_id)
            .order_by(r.opened_at.desc(), r.event_id.desc())
            .limit(keep)
        )
        await self._db.execute(
            delete(event_recent).where(r.user_id == user_id, r.event_id.not_in(kept))
        )

    async def recent(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[RecentEvent, Cursor]:
        r = event_recent.c
        query = (
            select(*_EVENT_COLUMNS, r.opened_at)
            .join(event_recent, r.event_id == EventRow.id)
            .where(r.user_id == user_id)
        )
        if page.after is not None:
            query = query.where(tuple_(r.opened_at, r.event_id) < (page.after.at, page.after.id))
        rows = (
            await self._db.execute(
                query.order_by(r.opened_at.desc(), r.event_id.desc()).limit(page.limit + 1)
            )
        ).all()
        return page_of(
            rows,
            page.limit,
            lambda row: RecentEvent(_event(row), row.opened_at),
            lambda row: Cursor(row.opened_at, row.id),
        )

    async def bookmark(self, user_id: UUID, media_ids: Iterable[UUID], now: datetime) -> int:
        ids = list(dict.fromkeys(media_ids))
        if not ids:
            return 0
        added = await self._db.scalars(
            pg_insert(photo_bookmarks)
            .values([{"user_id": user_id, "media_id": m, "created_at": now} for m in ids])
            .on_conflict_do_nothing()
            .returning(photo_bookmarks.c.media_id)
        )
        return len(list(added))

    async def unbookmark(self, user_id: UUID, media_ids: Iterable[UUID]) -> int:
        ids = list(set(media_ids))
        if not ids:
            return 0
        b = photo_bookmarks.c
        removed = await self._db.scalars(
            delete(photo_bookmarks)
            .where(b.user_id == user_id, any_of(b.media_id, ids))
            .returning(b.media_id)
        )
        return len(list(removed))

    async def collection(
        self, user_id: UUID, page: PageRequest[Cursor]
    ) -> Page[SavedPhoto, Cursor]:
        b, p = photo_bookmarks.c, event_photos.c
        query = (
            select(p.media_id, p.event_id, p.position, p.added_at, b.created_at)
            .join(event_photos, p.media_id == b.media_id)
            .where(b.user_id == user_id)
        )
        if page.after is not None:
            query = query.where(tuple_(b.created_at, b.media_id) < (page.after.at, page.after.id))
        rows = (
            await self._db.execute(
                query.order_by(b.created_at.desc(), b.media_id.desc()).limit(page.limit + 1)
            )
        ).all()
        return page_of(
            rows,
            page.limit,
            lambda row: SavedPhoto(_photo(row), row.created_at),
            lambda row: Cursor(row.created_at, row.media_id),
        )


def _write(row: EventRow, event: Event) -> None:
    row.owner_id = event.owner_id
    row.title = event.title
    row.event_date = event.event_date
    row.visibility = event.visibility.value
    row.password_hash = event.password_hash
    row.created_at = event.created_at
    row.updated_at = event.updated_at


def _event(row: Any) -> Event:
    return Event(
        id=row.id,
        owner_id=row.owner_id,
        title=row.title,
        event_date=row.event_date,
        visibility=EventVisibility(row.visibility),
        password_hash=row.password_hash,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _photo(row: Any) -> EventPhoto:
    return EventPhoto(
        media_id=row.media_id, event_id=row.event_id, position=row.position, added_at=row.added_at
    )
