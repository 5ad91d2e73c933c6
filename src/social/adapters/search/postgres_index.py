"""The search index in PostgreSQL: the embedded mode's stand-in for OpenSearch (core SQL only).

The queries live beside this module: ``postgres_text`` (full text with folded ``tsvector``s),
``postgres_geo`` (distance), ``postgres_posts`` (documents and newest-first pages),
``postgres_users`` (people search), ``postgres_tags`` (exact tag counts, trending) and
``postgres_rebuild``.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable
from datetime import datetime
from uuid import UUID

from sqlalchemy import Double, literal, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.search_tables import SearchTagCountRow, SearchUserDocumentRow
from social.adapters.postgres.tables import SearchPostDocumentRow
from social.adapters.search import postgres_posts, postgres_tags, postgres_users
from social.adapters.search.postgres_geo import near
from social.adapters.search.postgres_rebuild import rebuild
from social.adapters.search.postgres_text import has_words, matches_all_words
from social.domain.search.model import GeoPoint, PostDocument, TagCount, UserDocument, normalize_tag
from social.domain.shared.errors import Unavailable
from social.domain.shared.pagination import (
    KeyPageRequest,
    Page,
    PageRequest,
    RankCursor,
    RankedPageRequest,
    keyset_page,
)

__all__ = ["PostgresSearchCheck", "PostgresSearchIndex"]

_Row = SearchPostDocumentRow
_TABLES = tuple(
    row.__tablename__ for row in (SearchPostDocumentRow, SearchUserDocumentRow, SearchTagCountRow)
)
_EMPTY: Page[UUID] = Page(items=[], next_cursor=None)


class PostgresSearchIndex:
    """Documents live in the ``search_*`` tables (created by the migrations, never here).

    Writes are visible as soon as they commit, so ``refresh`` has nothing to do.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def ensure_index(self) -> None:
        """Fail fast at start-up when the migrations have not created the tables."""
        async with self._sessions() as session:
            for table in _TABLES:
                found = await session.scalar(text("SELECT to_regclass(:name)"), {"name": table})
                if found is None:
                    raise Unavailable(
                        f"table {table} is missing: run `social migrate`", dependency="search"
                    )

    async def upsert(self, document: PostDocument) -> None:
        async with self._sessions.begin() as session:
            await postgres_posts.write_post(session, document)

    async def delete(self, post_id: UUID) -> None:
        async with self._sessions.begin() as session:
            await postgres_posts.delete_post(session, post_id)

    async def posts_by_tag(self, tag: str, page: PageRequest) -> Page[UUID]:
        """``tags @> ARRAY[tag]`` over the GIN index."""
        wanted = normalize_tag(tag)
        if not wanted:
            return _EMPTY
        async with self._sessions() as session:
            return await postgres_posts.newest_first(session, [_Row.tags.contains([wanted])], page)

    async def posts_matching(self, text: str, page: PageRequest) -> Page[UUID]:
        if not has_words(text):
            return _EMPTY
        condition = matches_all_words(_Row.search_vector, text, stemmed=True)
        async with self._sessions() as session:
            return await postgres_posts.newest_first(session, [condition], page)

    async def posts_at_place(self, name: str, page: PageRequest) -> Page[UUID]:
        if not has_words(name):
            return _EMPTY
        condition = matches_all_words(_Row.place_vector, name, stemmed=False)
        async with self._sessions() as session:
            return await postgres_posts.newest_first(session, [condition], page)

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: RankedPageRequest
    ) -> Page[UUID]:
        """Keyset over ``(distance, id)`` ascending, the distance computed in SQL each time (the
        same inputs give the same float8, so a cursor's rank matches its row exactly)."""
        found = near(center, radius_km)
        query = (
            select(found.c.id, found.c.distance)
            .where(found.c.distance <= radius_km * 1000)
            .order_by(found.c.distance, found.c.id)
            .limit(page.limit + 1)
        )
        if page.after is not None:
            query = query.where(
                tuple_(found.c.distance, found.c.id)
                > tuple_(literal(page.after.rank, Double), literal(page.after.id))
            )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        items = rows[: page.limit]
        more = len(rows) > page.limit
        next_cursor = RankCursor(rank=items[-1][1], id=items[-1][0]) if more else None
        return Page(items=[post_id for post_id, _ in items], next_cursor=next_cursor)

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest
    ) -> Page[UUID]:
        """The same set as ``posts_near``, keyset over ``(created_at, id)`` descending."""
        found = near(center, radius_km)
        query = (
            select(found.c.id, found.c.created_at)
            .where(found.c.distance <= radius_km * 1000)
            .order_by(found.c.created_at.desc(), found.c.id.desc())
            .limit(page.limit + 1)
        )
        if page.after is not None:
            query = query.where(
                tuple_(found.c.created_at, found.c.id) < tuple_(page.after.at, page.after.id)
            )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return keyset_page(list(rows), page.limit)

    async def upsert_user(self, user: UserDocument) -> None:
        async with self._sessions.begin() as session:
            await postgres_users.write_users(session, [user])

    async def delete_user(self, user_id: UUID) -> None:
        async with self._sessions.begin() as session:
            await postgres_users.delete_user(session, user_id)

    async def users_by_prefix(self, prefix: str, page: KeyPageRequest) -> Page[UUID]:
        async with self._sessions() as session:
            return await postgres_users.users_by_prefix(session, prefix, page)

    async def tags_by_prefix(self, prefix: str, limit: int) -> list[TagCount]:
        async with self._sessions() as session:
            return await postgres_tags.tags_by_prefix(session, prefix, limit)

    async def trending_tags(self, since: datetime, limit: int) -> list[TagCount]:
        async with self._sessions() as session:
            return await postgres_tags.trending_tags(session, since, limit)

    async def tag_count(self, tag: str) -> int:
        async with self._sessions() as session:
            return await postgres_tags.tag_count(session, tag)

    async def rebuild(
        self,
        posts: AsyncIterable[PostDocument],
        users: AsyncIterable[UserDocument],
        progress: Callable[[int], None],
    ) -> int:
        """One transaction: delete every document, insert the new ones in batches, recount the
        tags, commit; queries see the old documents until that commit."""
        return await rebuild(self._sessions, posts, users, progress)

    async def refresh(self) -> None:
        """Nothing to do: a committed row is immediately visible."""


class PostgresSearchCheck:
    """Readiness probe for the embedded search: the tables must exist and answer."""

    name = "search"

    def __init__(self, index: PostgresSearchIndex) -> None:
        self._index = index

    async def check(self) -> None:
        await self._index.ensure_index()
