"""Media records in PostgreSQL (variants kept as JSONB: they are read and written whole).

The storage quota is counted from the records (``size_bytes`` summed over the owner's index
entries), under a transaction-scoped advisory lock per owner: a check-then-insert holds it
until commit, so the next one counts the row it added. The lock space is the two-key form
(namespace, owner) so it cannot meet the one-key locks used elsewhere; two owners sharing a
32-bit hash only wait for each other now and then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.event_tables import event_photos
from social.adapters.postgres.keyset import any_of
from social.adapters.postgres.media_tables import MediaRow
from social.adapters.postgres.post_tables import PostMediaRow
from social.domain.media.model import MediaItem, MediaKind, MediaPurpose, MediaStatus, Variant

__all__ = ["SqlaMediaRepository"]

_QUOTA_LOCK_NAMESPACE = 0x0D1A5170


class SqlaMediaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, item: MediaItem) -> None:
        row = MediaRow(id=item.id)
        _write(row, item)
        self._db.add(row)
        await self._db.flush()

    async def get(self, media_id: UUID) -> MediaItem | None:
        row = await self._db.get(MediaRow, media_id)
        return _entity(row) if row else None

    async def get_many(self, media_ids: Iterable[UUID]) -> dict[UUID, MediaItem]:
        ids = list(set(media_ids))
        if not ids:
            return {}
        rows = await self._db.execute(
            select(*MediaRow.__table__.columns).where(any_of(MediaRow.id, ids))
        )
        return {row.id: _entity(row) for row in rows}

    async def update(self, item: MediaItem) -> None:
        row = await self._db.get(MediaRow, item.id)
        if row is None:
            raise LookupError(f"media {item.id} vanished during an update")
        _write(row, item)
        await self._db.flush()

    async def delete(self, media_id: UUID) -> None:
        await self._db.execute(delete(MediaRow).where(MediaRow.id == media_id))

    async def unattached_before(self, cutoff: datetime, limit: int) -> list[MediaItem]:
        attached = exists().where(PostMediaRow.media_id == MediaRow.id)
        in_event = exists().where(event_photos.c.media_id == MediaRow.id)
        rows = await self._db.scalars(
            select(MediaRow)
            .where(MediaRow.purpose == "post", MediaRow.created_at < cutoff, ~attached, ~in_event)
            .order_by(MediaRow.created_at)
            .limit(limit)
        )
        return [_entity(row) for row in rows]

    async def album_photos(self, media_ids: Iterable[UUID]) -> set[UUID]:
        ids = list(media_ids)
        if not ids:
            return set()
        found = await self._db.scalars(
            select(event_photos.c.media_id).where(event_photos.c.media_id.in_(ids))
        )
        return set(found)

    async def owned_by(self, owner_id: UUID) -> list[MediaItem]:
        rows = await self._db.scalars(select(MediaRow).where(MediaRow.owner_id == owner_id))
        return [_entity(row) for row in rows]

    async def lock_stored_bytes(self, owner_id: UUID) -> int:
        owner_key = int.from_bytes(owner_id.bytes[-4:], "big", signed=True)
        await self._db.execute(select(func.pg_advisory_xact_lock(_QUOTA_LOCK_NAMESPACE, owner_key)))
        used = await self._db.scalar(
            select(func.coalesce(func.sum(MediaRow.size_bytes), 0)).where(
                MediaRow.owner_id == owner_id
            )
        )
        return int(used or 0)


def _write(row: MediaRow, item: MediaItem) -> None:
    row.owner_id = item.owner_id
    row.kind = item.kind.value
    row.purpose = item.purpose.value
    row.status = item.status.value
    row.created_at = item.created_at
    row.width = item.width
    row.height = item.height
    row.blurhash = item.blurhash
    row.variants = [
        {
            "name": v.name,
            "width": v.width,
            "height": v.height,
            "key": v.key,
            "content_type": v.content_type,
        }
        for v in item.variants
    ]
    row.error = item.error
    row.alt_text = item.alt_text
    row.duration_s = item.duration_s
    row.original_key = item.original_key
    row.size_bytes = item.size_bytes


def _entity(row: Any) -> MediaItem:
    """From an ORM object or a plain row with the same column names."""
    return MediaItem(
        id=row.id,
        owner_id=row.owner_id,
        kind=MediaKind(row.kind),
        purpose=MediaPurpose(row.purpose),
        status=MediaStatus(row.status),
        created_at=row.created_at,
        width=row.width,
        height=row.height,
        blurhash=row.blurhash,
        variants=tuple(Variant(**v) for v in row.variants),
        error=row.error,
        alt_text=row.alt_text,
        duration_s=row.duration_s,
        original_key=row.original_key,
        size_bytes=row.size_bytes,
    )
