"""Keyset pages over a table's ``(created_at, id)``: the shape every list query shares."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["keyset_select"]


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
