"""Posts in PostgreSQL, with their ordered media and the author's post counter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.keyset import any_of
from social.adapters.postgres.post_tables import PostMediaRow, PostRow
from social.domain.posts.model import Place, Post, PostCounters
from social.domain.shared.errors import Conflict
from social.domain.shared.ids import new_id

__all__ = ["SqlaPostRepository"]


class SqlaPostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, post: Post) -> None:
        row = PostRow(id=post.id, author_id=post.author_id, created_at=post.created_at)
        _write(row, post)
        self._db.add(row)
        await self._db.flush()  # the post row first: its media links point at it
        self._db.add_all(
            PostMediaRow(id=new_id(), post_id=post.id, media_id=media_id, position=position)
            for position, media_id in enumerate(post.media_ids)
        )
        try:
            await self._db.flush()
        except IntegrityError as exc:
            if "uq_post_media_media_id" in str(exc):
                raise Conflict(
                    "A media item is already in another post.", field="media_ids"
                ) from None
            raise
        await self._count(post.author_id, +1)

    async def get(self, post_id: UUID) -> Post | None:
        return (await self.get_many([post_id])).get(post_id)

    async def get_many(self, post_ids: Iterable[UUID]) -> dict[UUID, Post]:
        ids = list(set(post_ids))
        if not ids:
            return {}
        m = PostMediaRow
        media_ids = (
            select(func.array_agg(aggregate_order_by(m.media_id, m.position)))
            .where(m.post_id == PostRow.id)
            .scalar_subquery()
            .label("media_ids")
        )
        rows = await self._db.execute(  # one round trip, plain rows: the feed's hot path
            select(*PostRow.__table__.columns, media_ids).where(any_of(PostRow.id, ids))
        )
        return {row.id: _entity(row, list(row.media_ids or ())) for row in rows}

    async def update(self, post: Post) -> None:
        row = await self._db.get(PostRow, post.id)
        if row is None:
            raise LookupError(f"post {post.id} vanished during an update")
        _write(row, post)
        await self._db.flush()

    async def delete(self, post_id: UUID) -> bool:
        removed = await self._db.execute(
            delete(PostRow).where(PostRow.id == post_id).returning(PostRow.author_id)
        )
        author_id = removed.scalar_one_or_none()
        if author_id is None:
            return False
        await self._count(author_id, -1)
        return True

    async def attached_media(self, media_ids: Iterable[UUID]) -> set[UUID]:
        ids = list(media_ids)
        if not ids:
            return set()
        found = await self._db.scalars(
            select(PostMediaRow.media_id).where(PostMediaRow.media_id.in_(ids))
        )
        return set(found)

    async def ids_by_author(self, author_id: UUID) -> list[UUID]:
        return list(
            await self._db.scalars(select(PostRow.id).where(PostRow.author_id == author_id))
        )

    async def counters(self, post_id: UUID) -> PostCounters:
        p = PostRow
        row = (
            await self._db.execute(
                select(p.likes_count, p.comments_count, p.shares_count).where(p.id == post_id)
            )
        ).first()
        return PostCounters(*row) if row else PostCounters()

    async def _count(self, author_id: UUID, step: int) -> None:
        await self._db.execute(
            update(UserRow)
            .where(UserRow.id == author_id)
            .values(posts_count=UserRow.posts_count + step)
            .execution_options(synchronize_session=False)
        )


def _write(row: PostRow, post: Post) -> None:
    """Counters are left alone: only atomic SQL changes them."""
    row.caption = post.caption
    row.tags = list(post.tags)
    row.extra_tags = list(post.extra_tags)
    row.mentions = list(post.mentions)
    row.place_name = post.place.name if post.place else None
    row.latitude = post.place.latitude if post.place else None
    row.longitude = post.place.longitude if post.place else None
    row.comments_enabled = post.comments_enabled
    row.edited_at = post.edited_at


def _entity(row: Any, media_ids: list[UUID]) -> Post:
    """From an ORM object or a plain row with the same column names."""
    place = None
    if row.place_name is not None and row.latitude is not None and row.longitude is not None:
        place = Place(row.place_name, row.latitude, row.longitude)
    return Post(
        id=row.id,
        author_id=row.author_id,
        caption=row.caption,
        tags=tuple(row.tags),
        mentions=tuple(row.mentions),
        media_ids=tuple(media_ids),
        created_at=row.created_at,
        place=place,
        comments_enabled=row.comments_enabled,
        edited_at=row.edited_at,
        likes_count=row.likes_count,
        comments_count=row.comments_count,
        shares_count=row.shares_count,
        extra_tags=tuple(row.extra_tags),
    )
