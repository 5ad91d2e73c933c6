"""Post documents in PostgreSQL: writes that keep the tag counts exact, newest-first queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Table, Text, and_, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.keyset import keyset_select
from social.adapters.postgres.search_tables import SearchPostDocumentRow
from social.adapters.search.postgres_tags import apply_tag_changes, counted_tags
from social.adapters.search.postgres_text import caption_vector, simple_vector
from social.domain.search.model import PostDocument, Visibility
from social.domain.shared.pagination import Cursor, Page, PageRequest
from social.domain.shared.tags import fold, normalize_tags

__all__ = ["delete_post", "insert_posts", "newest_first", "write_post"]

_Row = SearchPostDocumentRow
_Table = cast("Table", SearchPostDocumentRow.__table__)  # mapped to one table
_PLAIN = (
    "author_id",
    "caption",
    "tags",
    "created_at",
    "visibility",
    "place_name",
    "latitude",
    "longitude",
)
_VALUES: dict[str, ColumnElement[Any]] = {
    **{name: bindparam(f"p_{name}", type_=_Table.c[name].type) for name in _PLAIN},
    "search_vector": caption_vector(bindparam("p_folded_caption", type_=Text)),
    "place_vector": simple_vector(bindparam("p_folded_place", type_=Text)),
}
"""One statement shape for every write (compiled once, cached): the vectors are computed by
PostgreSQL from the captions folded in Python, passed as parameters."""
_INSERT = insert(_Table).values(id=bindparam("p_id", type_=_Table.c.id.type), **_VALUES)
_INSERT_NEW = _INSERT.on_conflict_do_nothing(index_elements=["id"]).returning(_Table.c.id)
_UPSERT = _INSERT.on_conflict_do_update(
    index_elements=["id"], set_={name: _INSERT.excluded[name] for name in _VALUES}
)
_UPDATE = update(_Table).where(_Table.c.id == bindparam("p_id")).values(**_VALUES)


async def write_post(session: AsyncSession, document: PostDocument) -> None:
    """Lock the old row (or insert the new one), then apply the tag-count difference.

    ``FOR UPDATE`` serializes writers of the same post; when there is no row yet, ``ON CONFLICT
    DO NOTHING`` waits for a concurrent insert of it to commit and then inserts nothing, and the
    next round locks that row instead, so the old tags read are always the ones being replaced.
    """
    params = _params(document)
    while True:
        old = (
            await session.execute(
                select(_Row.tags, _Row.visibility)
                .where(_Row.id == document.post_id)
                .with_for_update()
            )
        ).one_or_none()
        if old is not None:
            await session.execute(_UPDATE, params)
            break
        if (await session.execute(_INSERT_NEW, params)).first() is not None:
            break
    before = counted_tags(old.tags, old.visibility) if old is not None else set()
    after = counted_tags(normalize_tags(document.tags), document.visibility.value)
    await apply_tag_changes(session, removed=before - after, added=after - before)


async def delete_post(session: AsyncSession, post_id: UUID) -> None:
    gone = (
        await session.execute(
            delete(_Row).where(_Row.id == post_id).returning(_Row.tags, _Row.visibility)
        )
    ).one_or_none()
    if gone is not None:
        await apply_tag_changes(session, removed=counted_tags(gone.tags, gone.visibility), added=())


async def insert_posts(session: AsyncSession, documents: Sequence[PostDocument]) -> None:
    """A rebuild's batch in one ``executemany``; the tag counts are recounted afterwards."""
    latest = {document.post_id: document for document in documents}  # a repeat: the last wins
    if latest:
        await session.execute(_UPSERT, [_params(document) for document in latest.values()])


async def newest_first(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], page: PageRequest[Cursor]
) -> Page[UUID, Cursor]:
    """PUBLIC documents meeting ``conditions``, newest first."""
    public = and_(*conditions, _Row.visibility == Visibility.PUBLIC.value)
    return await keyset_select(session, _Row.id, _Row, public, page)


def _params(document: PostDocument) -> dict[str, object]:
    location = document.location
    return {
        "p_id": document.post_id,
        "p_author_id": document.author_id,
        "p_caption": document.caption,
        "p_tags": normalize_tags(document.tags),
        "p_created_at": document.created_at,
        "p_visibility": document.visibility.value,
        "p_place_name": document.place_name,
        "p_latitude": location.latitude if location else None,
        "p_longitude": location.longitude if location else None,
        "p_folded_caption": fold(document.caption),
        "p_folded_place": fold(document.place_name or ""),
    }
