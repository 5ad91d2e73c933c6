"""People search in PostgreSQL: ``search_user_documents``, username and display-name prefixes.

A username prefix ranges over the ``text_pattern_ops`` index; a display-name word prefix is a
``'word':*`` ``tsquery`` over the GIN-indexed ``name_vector`` (folded, ``simple``); the planner
ORs the two bitmaps. Order and cursor are the username in byte order (``COLLATE "C"``), which is
OpenSearch's keyword order and Python's ``str`` order too.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Table, Text, bindparam, delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.search_tables import SearchUserDocumentRow
from social.adapters.search.postgres_text import matches_word_prefixes, simple_vector, starts_with
from social.domain.search.model import UserDocument
from social.domain.shared.pagination import KeyCursor, Page, PageRequest, page_of
from social.domain.shared.tags import fold

__all__ = ["delete_user", "users_by_prefix", "write_users"]

_Row = SearchUserDocumentRow
_Table = cast("Table", SearchUserDocumentRow.__table__)  # mapped to one table
_INSERT = insert(_Table).values(
    id=bindparam("p_id", type_=_Table.c.id.type),
    username=bindparam("p_username", type_=_Table.c.username.type),
    display_name=bindparam("p_display_name", type_=Text),
    name_vector=simple_vector(bindparam("p_folded_name", type_=Text)),
)
_UPSERT = _INSERT.on_conflict_do_update(
    index_elements=["id"],
    set_={name: _INSERT.excluded[name] for name in ("username", "display_name", "name_vector")},
)


async def write_users(session: AsyncSession, users: Sequence[UserDocument]) -> None:
    """Insert or replace, in one ``executemany``; a repeated id keeps its last document."""
    latest = {user.user_id: user for user in users}
    if latest:
        await session.execute(_UPSERT, [_params(user) for user in latest.values()])


async def delete_user(session: AsyncSession, user_id: UUID) -> None:
    await session.execute(delete(_Row).where(_Row.id == user_id))


async def users_by_prefix(
    session: AsyncSession, prefix: str, page: PageRequest[KeyCursor]
) -> Page[UUID, KeyCursor]:
    wanted = fold(prefix).strip().lstrip("@").strip()
    if not wanted:
        return Page(items=[], next_cursor=None)
    matches: list[ColumnElement[bool]] = [starts_with(_Row.username, wanted)]
    name_words = matches_word_prefixes(_Row.name_vector, wanted)
    if name_words is not None:
        matches.append(name_words)
    username = _Row.username.collate("C")
    query = select(_Row.id, _Row.username).where(or_(*matches)).order_by(username)
    if page.after is not None:
        query = query.where(username > page.after.key)
    rows = (await session.execute(query.limit(page.limit + 1))).all()
    return page_of(rows, page.limit, itemgetter(0), _username_cursor)


def _username_cursor(row: Any) -> KeyCursor:
    return KeyCursor(key=row[1])


def _params(user: UserDocument) -> dict[str, object]:
    return {
        "p_id": user.user_id,
        "p_username": user.username,
        "p_display_name": user.display_name,
        "p_folded_name": fold(user.display_name),
    }
