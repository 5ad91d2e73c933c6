"""The search index in PostgreSQL: the embedded mode's stand-in for OpenSearch (core SQL only)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.tables import SearchPostDocumentRow
from social.domain.search.model import PostDocument, Visibility, normalize_tag, normalize_tags
from social.domain.shared.errors import Unavailable
from social.domain.shared.pagination import Page, PageRequest, keyset_page

__all__ = ["PostgresSearchCheck", "PostgresSearchIndex"]

_TABLE = SearchPostDocumentRow.__tablename__
_Row = SearchPostDocumentRow


class PostgresSearchIndex:
    """Documents live in ``search_post_documents`` (created by the migrations, never here).

    Writes are visible as soon as they commit, so ``refresh`` has nothing to do.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def ensure_index(self) -> None:
        """Fail fast at start-up when the migrations have not created the table."""
        async with self._sessions() as session:
            found = await session.scalar(text("SELECT to_regclass(:name)"), {"name": _TABLE})
        if found is None:
            raise Unavailable(
                f"table {_TABLE} is missing: run `social migrate`", dependency="search"
            )

    async def upsert(self, document: PostDocument) -> None:
        values = _values(document)
        statement = insert(_Row).values(id=document.post_id, **values)
        statement = statement.on_conflict_do_update(
            index_elements=[_Row.id], set_={name: statement.excluded[name] for name in values}
        )
        async with self._sessions.begin() as session:
            await session.execute(statement)

    async def delete(self, post_id: UUID) -> None:
        async with self._sessions.begin() as session:
            await session.execute(delete(_Row).where(_Row.id == post_id))

    async def posts_by_tag(self, tag: str, page: PageRequest) -> Page[UUID]:
        """Keyset over ``(created_at, id)`` descending; one extra row says a next page exists."""
        wanted = normalize_tag(tag)
        if not wanted:
            return Page(items=[], next_cursor=None)
        query = (
            select(_Row.id, _Row.created_at)
            .where(_Row.tags.contains([wanted]), _Row.visibility == Visibility.PUBLIC.value)
            .order_by(_Row.created_at.desc(), _Row.id.desc())
            .limit(page.limit + 1)
        )
        if page.after is not None:
            query = query.where(
                tuple_(_Row.created_at, _Row.id) < tuple_(page.after.at, page.after.id)
            )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return keyset_page(list(rows), page.limit)

    async def refresh(self) -> None:
        """Nothing to do: a committed row is immediately visible."""


class PostgresSearchCheck:
    """Readiness probe for the embedded search: the table must exist and answer."""

    name = "search"

    def __init__(self, index: PostgresSearchIndex) -> None:
        self._index = index

    async def check(self) -> None:
        await self._index.ensure_index()


def _values(document: PostDocument) -> dict[str, object]:
    location = document.location
    return {
        "author_id": document.author_id,
        "caption": document.caption,
        "tags": normalize_tags(document.tags),
        "created_at": document.created_at,
        "visibility": document.visibility.value,
        "place_name": document.place_name,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
    }
