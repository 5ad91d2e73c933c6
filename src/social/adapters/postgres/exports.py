"""Data exports in PostgreSQL: their rows (``SqlaDataExportRepository``) and the paged read of
everything an account holds that an archive is made of (``SqlaExportSource``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, literal, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.event_tables import (
    EventRow,
    event_access,
    event_photos,
    event_recent,
    photo_bookmarks,
)
from social.adapters.postgres.export_tables import DataExportRow
from social.adapters.postgres.graph_tables import FollowRow
from social.adapters.postgres.interaction_tables import BookmarkRow, CommentRow, LikeRow
from social.adapters.postgres.post_tables import PostRow
from social.adapters.postgres.posts import SqlaPostRepository
from social.domain.events.model import Event, EventPhoto, EventVisibility, SavedPhoto
from social.domain.lifecycle.data_export import DataExport, ExportStatus
from social.domain.lifecycle.export_ports import AccountEdge, EventEdge, Keyset, PostEdge
from social.domain.posts.model import Post
from social.domain.reads.model import Comment
from social.domain.shared.errors import Conflict

__all__ = ["SqlaDataExportRepository", "SqlaExportSource"]


class SqlaDataExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, export: DataExport) -> None:
        row = DataExportRow(id=export.id)
        _write(row, export)
        self._db.add(row)
        try:
            await self._db.flush()
        except IntegrityError as exc:
            if "uq_data_exports_one_pending" in str(exc):
                raise Conflict("An export of your data is already being prepared.") from None
            raise

    async def get(self, export_id: UUID, *, for_update: bool = False) -> DataExport | None:
        query = select(DataExportRow).where(DataExportRow.id == export_id)
        row = await self._db.scalar(query.with_for_update() if for_update else query)
        return _entity(row) if row else None

    async def update(self, export: DataExport) -> None:
        row = await self._db.get(DataExportRow, export.id)
        if row is None:
            raise LookupError(f"data export {export.id} vanished during an update")
        _write(row, export)
        await self._db.flush()

    async def list_for(self, owner_id: UUID, limit: int) -> list[DataExport]:
        e = DataExportRow
        query = select(e).where(e.owner_id == owner_id).order_by(e.created_at.desc(), e.id.desc())
        return [_entity(row) for row in await self._db.scalars(query.limit(limit))]

    async def expiring(self, now: datetime, stale_before: datetime, limit: int) -> list[DataExport]:
        e = DataExportRow
        due = or_(
            and_(e.status == ExportStatus.READY.value, e.expires_at <= now),
            and_(e.status == ExportStatus.PENDING.value, e.created_at < stale_before),
        )
        query = select(e).where(due).order_by(e.created_at).limit(limit)
        return [_entity(row) for row in await self._db.scalars(query)]


def _write(row: DataExportRow, export: DataExport) -> None:
    row.owner_id = export.owner_id
    row.status = export.status.value
    row.created_at = export.created_at
    row.expires_at = export.expires_at
    row.object_key = export.object_key
    row.size_bytes = export.size_bytes
    row.finished_at = export.finished_at


def _entity(row: DataExportRow) -> DataExport:
    return DataExport(
        id=row.id,
        owner_id=row.owner_id,
        status=ExportStatus(row.status),
        created_at=row.created_at,
        expires_at=row.expires_at,
        object_key=row.object_key,
        size_bytes=row.size_bytes,
        finished_at=row.finished_at,
    )


def _page(
    query: Select[Any],
    table: Any,
    after: Keyset | None,
    limit: int,
    order: tuple[Any, Any] | None = None,
) -> Select[Any]:
    """Oldest first by ``(created_at, id)`` (or the two columns of ``order``), after the keyset
    (the indexes lead with the owner's column, then these two)."""
    at, key = order or (table.created_at, table.id)
    if after is not None:
        query = query.where(tuple_(at, key) > tuple_(literal(after[0]), literal(after[1])))
    return query.order_by(at, key).limit(limit)


class SqlaExportSource:
    """Each page one indexed range scan: posts by author, comments by author, likes,
    bookmarks and both directions of follows by user, each on ``(user, created_at, id)``;
    events by owner likewise. The albums' photos (through the owner's events), the
    collection, opened events and access grants read the user's rows by the index leading
    with the user (or event) and sort them: one user's rows, not a table scan."""

    def __init__(self, session: AsyncSession, posts: SqlaPostRepository) -> None:
        self._db = session
        self._posts = posts

    async def posts(self, author_id: UUID, after: Keyset | None, limit: int) -> list[Post]:
        query = _page(
            select(PostRow.id).where(PostRow.author_id == author_id), PostRow, after, limit
        )
        ids = list(await self._db.scalars(query))
        found = await self._posts.get_many(ids)
        return [found[i] for i in ids if i in found]

    async def comments(self, author_id: UUID, after: Keyset | None, limit: int) -> list[Comment]:
        c = CommentRow
        rows = await self._db.scalars(
            _page(select(c).where(c.author_id == author_id), c, after, limit)
        )
        return [
            Comment(
                id=r.id,
                post_id=r.post_id,
                author_id=r.author_id,
                text=r.text,
                created_at=r.created_at,
                parent_id=r.parent_id,
                replies_count=r.replies_count,
            )
            for r in rows
        ]

    async def likes(self, user_id: UUID, after: Keyset | None, limit: int) -> list[PostEdge]:
        return await self._post_edges(LikeRow, user_id, after, limit)

    async def bookmarks(self, user_id: UUID, after: Keyset | None, limit: int) -> list[PostEdge]:
        return await self._post_edges(BookmarkRow, user_id, after, limit)

    async def followers(self, user_id: UUID, after: Keyset | None, limit: int) -> list[AccountEdge]:
        f = FollowRow
        return await self._account_edges(f.followee_id == user_id, f.follower_id, after, limit)

    async def following(self, user_id: UUID, after: Keyset | None, limit: int) -> list[AccountEdge]:
        f = FollowRow
        return await self._account_edges(f.follower_id == user_id, f.followee_id, after, limit)

    async def _post_edges(
        self, table: Any, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[PostEdge]:
        query = select(table.id, table.post_id, table.created_at).where(table.user_id == user_id)
        rows = await self._db.execute(_page(query, table, after, limit))
        return [PostEdge(r.id, r.post_id, r.created_at) for r in rows]

    async def _account_edges(
        self, condition: Any, other: Any, after: Keyset | None, limit: int
    ) -> list[AccountEdge]:
        f = FollowRow
        query = (
            select(f.id, f.created_at, other.label("user_id"), UserRow.username)
            .join(UserRow, UserRow.id == other)
            .where(condition)
        )
        rows = await self._db.execute(_page(query, f, after, limit))
        return [AccountEdge(r.id, r.user_id, r.username, r.created_at) for r in rows]

    async def events(self, owner_id: UUID, after: Keyset | None, limit: int) -> list[Event]:
        e = EventRow
        rows = await self._db.scalars(
            _page(select(e).where(e.owner_id == owner_id), e, after, limit)
        )
        return [
            Event(
                id=r.id,
                owner_id=r.owner_id,
                title=r.title,
                event_date=r.event_date,
                visibility=EventVisibility(r.visibility),
                password_hash=r.password_hash,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    async def event_photos(
        self, owner_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventPhoto]:
        p = event_photos.c
        query = (
            select(p.media_id, p.event_id, p.position, p.added_at)
            .join(EventRow, EventRow.id == p.event_id)
            .where(EventRow.owner_id == owner_id)
        )
        rows = await self._db.execute(_page(query, p, after, limit, (p.added_at, p.media_id)))
        return [EventPhoto(r.media_id, r.event_id, r.position, r.added_at) for r in rows]

    async def saved_photos(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[SavedPhoto]:
        b, p = photo_bookmarks.c, event_photos.c
        query = (
            select(p.media_id, p.event_id, p.position, p.added_at, b.created_at)
            .join(event_photos, p.media_id == b.media_id)
            .where(b.user_id == user_id)
        )
        rows = await self._db.execute(_page(query, b, after, limit, (b.created_at, b.media_id)))
        return [
            SavedPhoto(EventPhoto(r.media_id, r.event_id, r.position, r.added_at), r.created_at)
            for r in rows
        ]

    async def recent_events(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventEdge]:
        r = event_recent.c
        return await self._event_edges(r.user_id == user_id, r.event_id, r.opened_at, after, limit)

    async def event_access(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventEdge]:
        a = event_access.c
        return await self._event_edges(a.user_id == user_id, a.event_id, a.granted_at, after, limit)

    async def _event_edges(
        self, condition: Any, event_id: Any, at: Any, after: Keyset | None, limit: int
    ) -> list[EventEdge]:
        query = select(event_id.label("event_id"), at.label("at")).where(condition)
        rows = await self._db.execute(_page(query, None, after, limit, (at, event_id)))
        return [EventEdge(r.event_id, r.at) for r in rows]
