"""Keyset pages, the one way every PostgreSQL list reads a page: ``limit + 1`` rows after the
cursor's position in the list's order (the extra row only says more follow), cut by
``page_of``. Through SQLAlchemy (``keyset_select`` for a column, ``keyset_rows`` for whole
rows turned into entities) or as plain SQL for the read pools (``KeysetQuery``). Also
``any_of``, the id-list condition every repository shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import Select, any_, literal, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.read_pool import ReadPool
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor, page_of

__all__ = ["KeysetQuery", "any_of", "keyset_rows", "keyset_select"]

T = TypeVar("T")
C = TypeVar("C", Cursor, RankCursor)
_first = itemgetter(0)


async def keyset_select(
    db: AsyncSession,
    wanted: Any,
    table: Any,
    condition: Any,
    page: PageRequest[Cursor],
    *,
    newest_first: bool = True,
) -> Page[Any, Cursor]:
    """A page of ``wanted`` (a column) from the rows of ``table`` (a mapped class or a
    subquery's ``.c``) matching ``condition``, ordered by the row's time then its id (newest
    or oldest first). The cursor names the row, not the item, so a row added while a client
    pages sorts before its cursor: no repeat, no skip."""
    query = _after(select(wanted, table.created_at, table.id), table, condition, page, newest_first)
    rows = (await db.execute(query)).all()
    return page_of(rows, page.limit, _first, _row_position)


async def keyset_rows(
    db: AsyncSession,
    table: Any,
    condition: Any,
    page: PageRequest[Cursor],
    *,
    map: Callable[[Any], T],
    newest_first: bool = True,
) -> Page[T, Cursor]:
    """``keyset_select`` of whole rows of the mapped class ``table``, each turned into an
    entity by ``map``."""
    query = _after(select(table), table, condition, page, newest_first)
    rows = (await db.scalars(query)).all()
    return page_of(rows, page.limit, map, _entity_position)


def _after(
    query: Select[Any], table: Any, condition: Any, page: PageRequest[Cursor], newest_first: bool
) -> Select[Any]:
    query = query.where(condition)
    if page.after is not None:
        key, after = tuple_(table.created_at, table.id), (page.after.at, page.after.id)
        query = query.where(key < after if newest_first else key > after)
    order = (
        (table.created_at.desc(), table.id.desc())
        if newest_first
        else (table.created_at.asc(), table.id.asc())
    )
    return query.order_by(*order).limit(page.limit + 1)


def _row_position(row: Any) -> Cursor:
    return Cursor(row[1], row[2])


def _entity_position(row: Any) -> Cursor:
    return Cursor(row.created_at, row.id)


@dataclass(frozen=True, slots=True)
class KeysetQuery(Generic[C]):
    """A keyset page in plain SQL for a read pool: its two statements, for a first page and
    for one after a cursor. Each row ends with its sort value and its tie-breaker, read back
    as the cursor by ``position``; ``bounds`` gives a cursor's two statement arguments. The
    ``where`` clause uses ``$1`` (…); the cursor and the limit take the next numbers."""

    first: str
    after: str
    position: Callable[[Any], C]
    bounds: Callable[[C], tuple[object, object]]

    @staticmethod
    def by_time(
        item: str,
        table: str,
        where: str,
        *,
        arguments: int,
        newest_first: bool = True,
        key: str = "id",
    ) -> KeysetQuery[Cursor]:
        """Ordered by the row's time, then ``key``: its unique tie-breaker (its id unless the
        table has none). The cursor names the row, not the item, so a row added while a
        client pages sorts before its cursor."""
        order, past = ("DESC", "<") if newest_first else ("ASC", ">")
        n = arguments
        head = f"SELECT {item}, t.created_at, t.{key} FROM {table} t WHERE {where}"  # noqa: S608
        tail = f"ORDER BY t.created_at {order}, t.{key} {order} LIMIT ${{limit}}"
        return KeysetQuery(
            first=f"{head} {tail.format(limit=n + 1)}",
            after=(
                f"{head} AND (t.created_at, t.{key}) {past} "
                f"(${n + 1}::timestamptz, ${n + 2}::uuid) {tail.format(limit=n + 3)}"
            ),
            position=_time_position,
            bounds=_time_bounds,
        )

    @staticmethod
    def by_rank(
        item: str, table: str, rank: str, where: str, *, arguments: int
    ) -> KeysetQuery[RankCursor]:
        """Highest integer ``rank`` (an SQL expression over ``t``) first, then highest id."""
        n = arguments
        head = f"SELECT {item}, {rank} AS rank, t.id FROM {table} t WHERE {where}"  # noqa: S608
        tail = "ORDER BY rank DESC, t.id DESC LIMIT ${limit}"
        return KeysetQuery(
            first=f"{head} {tail.format(limit=n + 1)}",
            after=(
                f"{head} AND ({rank}, t.id) < (${n + 1}::int, ${n + 2}::uuid) "
                f"{tail.format(limit=n + 3)}"
            ),
            position=_rank_position,
            bounds=_rank_bounds,
        )

    async def page(self, pool: ReadPool, page: PageRequest[C], *arguments: object) -> Page[Any, C]:
        """The first column of each row."""
        return page_of(await self._fetch(pool, page, arguments), page.limit, _first, self.position)

    async def rows(
        self, pool: ReadPool, page: PageRequest[C], *arguments: object, map: Callable[[Any], T]
    ) -> Page[T, C]:
        """Whole rows, each turned into an entity by ``map``."""
        return page_of(await self._fetch(pool, page, arguments), page.limit, map, self.position)

    async def _fetch(
        self, pool: ReadPool, page: PageRequest[C], arguments: tuple[object, ...]
    ) -> Sequence[Any]:
        if page.after is None:
            return await pool.fetch(self.first, *arguments, page.limit + 1)
        return await pool.fetch(self.after, *arguments, *self.bounds(page.after), page.limit + 1)


def _time_position(row: Any) -> Cursor:
    return Cursor(at=row[-2], id=row[-1])


def _time_bounds(cursor: Cursor) -> tuple[object, object]:
    return cursor.at, cursor.id


def _rank_position(row: Any) -> RankCursor:
    return RankCursor(float(row[-2]), row[-1])


_INT4 = (-(2**31), 2**31 - 1)


def _rank_bounds(cursor: RankCursor) -> tuple[object, object]:
    """The rank as the ``int`` column's type: a forged cursor's out-of-range rank is clamped
    (the same page order, never an overflow error)."""
    return min(max(int(cursor.rank), _INT4[0]), _INT4[1]), cursor.id


def any_of(column: Any, ids: Iterable[UUID]) -> Any:
    """``column = ANY($1::uuid[])``: one SQL text whatever the number of ids, so asyncpg's
    prepared-statement cache keeps hitting (``IN (…)`` renders a new text per list length)."""
    return column == any_(literal(list(ids), ARRAY(PG_UUID(as_uuid=True))))
