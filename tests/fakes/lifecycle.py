"""In-memory fakes of the data-export ports (``domain/lifecycle/export_ports.py``), working on a
unit of work's copy of the store, with PostgreSQL's rules (one pending export per owner)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from social.domain.events.model import Event, EventPhoto, SavedPhoto
from social.domain.lifecycle.data_export import DataExport, ExportStatus
from social.domain.lifecycle.export_ports import AccountEdge, EventEdge, Keyset, PostEdge
from social.domain.posts.model import Post
from social.domain.reads.model import Comment
from social.domain.shared.errors import Conflict

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryDataExportRepository", "InMemoryExportSource"]


K = TypeVar("K", Post, Comment, PostEdge, AccountEdge, Event, EventPhoto, SavedPhoto, EventEdge)


def _by_creation(row: Any) -> Keyset:
    return (row.created_at, row.id)


def _page(
    rows: Iterable[K],
    after: Keyset | None,
    limit: int,
    keyset: Callable[[K], Keyset] = _by_creation,
) -> list[K]:
    ordered = sorted(rows, key=keyset)
    return [r for r in ordered if after is None or keyset(r) > after][:limit]


class InMemoryDataExportRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add(self, export: DataExport) -> None:
        if export.status is ExportStatus.PENDING and any(
            e.owner_id == export.owner_id and e.status is ExportStatus.PENDING
            for e in self._w.exports.values()
        ):
            raise Conflict("An export of your data is already being prepared.")
        self._w.exports[export.id] = export

    async def get(self, export_id: UUID, *, for_update: bool = False) -> DataExport | None:
        return self._w.exports.get(export_id)

    async def update(self, export: DataExport) -> None:
        if export.id not in self._w.exports:
            raise LookupError(export.id)
        self._w.exports[export.id] = export

    async def list_for(self, owner_id: UUID, limit: int) -> list[DataExport]:
        mine = [e for e in self._w.exports.values() if e.owner_id == owner_id]
        return sorted(mine, key=lambda e: (e.created_at, e.id), reverse=True)[:limit]

    async def expiring(self, now: datetime, stale_before: datetime, limit: int) -> list[DataExport]:
        due = [
            e
            for e in self._w.exports.values()
            if (e.status is ExportStatus.READY and e.expires_at <= now)
            or (e.status is ExportStatus.PENDING and e.created_at < stale_before)
        ]
        return sorted(due, key=lambda e: e.created_at)[:limit]


@dataclass
class InMemoryExportSource:
    _w: AccountsStore

    async def posts(self, author_id: UUID, after: Keyset | None, limit: int) -> list[Post]:
        mine = (p for p in self._w.posts.values() if p.author_id == author_id)
        return _page(mine, after, limit)

    async def comments(self, author_id: UUID, after: Keyset | None, limit: int) -> list[Comment]:
        mine = (c for c in self._w.comments.values() if c.author_id == author_id)
        return _page(mine, after, limit)

    async def likes(self, user_id: UUID, after: Keyset | None, limit: int) -> list[PostEdge]:
        mine = [
            PostEdge(e.id, e.post_id, e.created_at)
            for e in self._w.likes.values()
            if e.user_id == user_id
        ]
        return _page(mine, after, limit)

    async def bookmarks(self, user_id: UUID, after: Keyset | None, limit: int) -> list[PostEdge]:
        mine = [
            PostEdge(e.id, e.post_id, e.created_at)
            for e in self._w.bookmarks.values()
            if e.user_id == user_id
        ]
        return _page(mine, after, limit)

    async def followers(self, user_id: UUID, after: Keyset | None, limit: int) -> list[AccountEdge]:
        found = [
            AccountEdge(f.id, f.follower_id, self._w.users[f.follower_id].username, f.created_at)
            for f in self._w.follows.values()
            if f.followee_id == user_id and f.follower_id in self._w.users
        ]
        return _page(found, after, limit)

    async def following(self, user_id: UUID, after: Keyset | None, limit: int) -> list[AccountEdge]:
        found = [
            AccountEdge(f.id, f.followee_id, self._w.users[f.followee_id].username, f.created_at)
            for f in self._w.follows.values()
            if f.follower_id == user_id and f.followee_id in self._w.users
        ]
        return _page(found, after, limit)

    async def events(self, owner_id: UUID, after: Keyset | None, limit: int) -> list[Event]:
        mine = (e for e in self._w.events.values() if e.owner_id == owner_id)
        return _page(mine, after, limit)

    async def event_photos(
        self, owner_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventPhoto]:
        mine = {e.id for e in self._w.events.values() if e.owner_id == owner_id}
        photos = (p for p in self._w.event_photos.values() if p.event_id in mine)
        return _page(photos, after, limit, lambda p: (p.added_at, p.media_id))

    async def saved_photos(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[SavedPhoto]:
        saved = [
            SavedPhoto(self._w.event_photos[m], at)
            for (u, m), at in self._w.photo_bookmarks.items()
            if u == user_id and m in self._w.event_photos
        ]
        return _page(saved, after, limit, lambda s: (s.saved_at, s.photo.media_id))

    async def recent_events(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventEdge]:
        return self._event_edges(self._w.event_recent, user_id, after, limit)

    async def event_access(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventEdge]:
        return self._event_edges(self._w.event_access, user_id, after, limit)

    def _event_edges(
        self,
        table: dict[tuple[UUID, UUID], datetime],
        user_id: UUID,
        after: Keyset | None,
        limit: int,
    ) -> list[EventEdge]:
        edges = [
            EventEdge(e, at) for (u, e), at in table.items() if u == user_id and e in self._w.events
        ]
        return _page(edges, after, limit, lambda edge: (edge.at, edge.event_id))
