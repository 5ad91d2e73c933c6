"""The search index in PostgreSQL: the embedded mode's stand-in for OpenSearch (core SQL only).

The queries live beside this module: ``postgres_text`` (full text with folded ``tsvector``s),
``postgres_geo`` (distance), ``postgres_posts`` (documents and newest-first pages),
``postgres_users`` (people search), ``postgres_tags`` (exact tag counts, trending) and
``postgres_rebuild``.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from operator import itemgetter
from typing import Never
from uuid import UUID

from sqlalchemy import Double, literal, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.keyset import keyset_select
from social.adapters.postgres.search_tables import (
    SearchPostDocumentRow,
    SearchTagCountRow,
    SearchUserDocumentRow,
)
from social.adapters.search import postgres_posts, postgres_tags, postgres_users
from social.adapters.search.postgres_geo import near
from social.adapters.search.postgres_rebuild import rebuild
from social.adapters.search.postgres_text import has_words, matches_all_words
from social.domain.search.model import (
    GeoPoint,
    PostDocument,
    TagCount,
    UserDocument,
    check_radius_km,
)
from social.domain.shared.errors import Unavailable
from social.domain.shared.pagination import (
    Cursor,
    KeyCursor,
    Page,
    PageRequest,
    RankCursor,
    page_of,
)
from social.domain.shared.tags import normalize_tag

__all__ = ["PostgresSearchCheck", "PostgresSearchIndex"]

_Row = SearchPostDocumentRow
_TABLES = tuple(
    row.__tablename__ for row in (SearchPostDocumentRow, SearchUserDocumentRow, SearchTagCountRow)
)
_EMPTY: Page[UUID, Never] = Page(items=[], next_cursor=None)
_CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")
_FIRST_RING_KM = 0.5
_RING_GROWTH = 4.0


def _rings(start_km: float, radius_km: float) -> Iterator[float]:
    """Radii from just past ``start_km`` (a cursor's distance) growing fourfold up to
    ``radius_km``, which is always the last."""
    step = _FIRST_RING_KM
    while start_km + step < radius_km:
        yield start_km + step
        step *= _RING_GROWTH
    yield radius_km


class PostgresSearchIndex:
    """Documents live in the ``search_*`` tables (created by the migrations, never here).

    Writes are visible as soon as they commit, so ``refresh`` has nothing to do.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncSession]:
        """A session whose statements are planned for their own parameters.

        asyncpg prepares every statement, and after five runs PostgreSQL may switch to one
        generic plan; for skewed data that plan is a disaster (nearby posts, newest first: a
        0.1 ms backward index scan became a 330 ms sort of 110,000 rows; trending tags 8 ms
        became 540 ms). ``SET LOCAL`` ends with the read's transaction.
        """
        async with self._sessions() as session:
            await session.execute(_CUSTOM_PLANS)
            yield session

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

    async def posts_by_tag(self, tag: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """``tags @> ARRAY[tag]`` over the GIN index."""
        wanted = normalize_tag(tag)
        if not wanted:
            return _EMPTY
        async with self._reading() as session:
            return await postgres_posts.newest_first(session, [_Row.tags.contains([wanted])], page)

    async def posts_matching(self, text: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        if not has_words(text):
            return _EMPTY
        condition = matches_all_words(_Row.search_vector, text, stemmed=True)
        async with self._reading() as session:
            return await postgres_posts.newest_first(session, [condition], page)

    async def posts_at_place(self, name: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        if not has_words(name):
            return _EMPTY
        condition = matches_all_words(_Row.place_vector, name, stemmed=False)
        async with self._reading() as session:
            return await postgres_posts.newest_first(session, [condition], page)

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        """Keyset over ``(distance, id)`` ascending, the distance computed in SQL each time (the
        same inputs give the same float8, so a cursor's rank matches its row exactly).

        A bounding box cannot hand rows over nearest first, so a 25 km box in a city means
        sorting every post in it (120,000 rows, 250 ms at 1,000,000 posts). Rings grow instead:
        the nearest rows within a smaller radius are the nearest within the whole one as soon as
        that ring holds a full page, so a dense place stops at a small ring and a sparse one
        reaches the full radius over few rows.
        """
        check_radius_km(radius_km)
        start_km = page.after.rank / 1000 if page.after is not None else 0.0
        async with self._reading() as session:
            for ring_km in _rings(start_km, radius_km):
                rows = await self._nearest(session, center, ring_km, page)
                if len(rows) > page.limit or ring_km >= radius_km:
                    break
        return page_of(rows, page.limit, itemgetter(0), _distance_cursor)

    @staticmethod
    async def _nearest(
        session: AsyncSession, center: GeoPoint, radius_km: float, page: PageRequest[RankCursor]
    ) -> list[tuple[UUID, float]]:
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
        return [(row[0], row[1]) for row in (await session.execute(query)).all()]

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        """The same set as ``posts_near``, newest first."""
        found = near(center, radius_km).c
        async with self._reading() as session:
            return await keyset_select(
                session, found.id, found, found.distance <= radius_km * 1000, page
            )

    async def upsert_user(self, user: UserDocument) -> None:
        async with self._sessions.begin() as session:
            await postgres_users.write_users(session, [user])

    async def delete_user(self, user_id: UUID) -> None:
        async with self._sessions.begin() as session:
            await postgres_users.delete_user(session, user_id)

    async def users_by_prefix(
        self, prefix: str, page: PageRequest[KeyCursor]
    ) -> Page[UUID, KeyCursor]:
        async with self._reading() as session:
            return await postgres_users.users_by_prefix(session, prefix, page)

    async def tags_by_prefix(self, prefix: str, limit: int) -> list[TagCount]:
        async with self._reading() as session:
            return await postgres_tags.tags_by_prefix(session, prefix, limit)

    async def trending_tags(self, since: datetime, limit: int) -> list[TagCount]:
        async with self._reading() as session:
            return await postgres_tags.trending_tags(session, since, limit)

    async def tag_count(self, tag: str) -> int:
        async with self._reading() as session:
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


def _distance_cursor(row: tuple[UUID, float]) -> RankCursor:
    return RankCursor(rank=row[1], id=row[0])
