"""Query shapes every repository shares: keyset pages over ``(created_at, id)``, id lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import any_, literal, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["any_of", "keyset_select"]


async def keyset_select(
    db: AsyncSession,
    wanted: Any,
    table: Any,
    condition: Any,
    page: PageRequest,
    *,
    newest_first: bool = True,
) -> Page[UUID]:
    """A page of ``wanted`` from the rows of ``table`` matching ``condition``, ordered by the
    row's time then its id (newest or oldest first). The cursor names the row, not the item,
    so a row added while a client pages sorts before its cursor: no repeat, no skip."""
    key = tuple_(table.created_at, table.id)
    query = select(wanted, table.created_at, table.id).where(condition)
    if page.after is not None:
        after = (page.after.at, page.after.id)
        query = query.where(key < after if newest_first else key > after)
    order = (
        (table.created_at.desc(), table.id.desc())
        if newest_first
        else (table.created_at.asc(), table.id.asc())
    )
    rows = (await db.execute(query.order_by(*order).limit(page.limit + 1))).all()
    items = rows[: page.limit]
    last = items[-1] if len(rows) > page.limit else None
    return Page(
        items=[row[0] for row in items], next_cursor=Cursor(last[1], last[2]) if last else None
    )


def any_of(column: Any, ids: Iterable[UUID]) -> Any:
    """``column = ANY($1::uuid[])``: one SQL text whatever the number of ids, so asyncpg's
    prepared-statement cache keeps hitting (``IN (…)`` renders a new text per list length)."""
    return column == any_(literal(list(ids), ARRAY(PG_UUID(as_uuid=True))))
