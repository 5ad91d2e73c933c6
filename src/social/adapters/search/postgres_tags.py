"""Tag counts in PostgreSQL: ``search_tag_counts`` kept exact by every write of a post document.

A document counts for each of its tags while it is PUBLIC. Each write applies the difference
between the old and the new document in its own transaction, in one statement over the tags in
name order (so concurrent writers lock tag rows in the same order and never deadlock); a count
never goes below 0 and a tag no public post carries any more loses its row.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import DateTime, Integer, Text, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.search_tables import SearchTagCountRow
from social.adapters.search.postgres_text import starts_with
from social.domain.search.model import TagCount, Visibility
from social.domain.shared.errors import Invalid
from social.domain.shared.pagination import MAX_LIMIT
from social.domain.shared.tags import normalize_tag

__all__ = [
    "apply_tag_changes",
    "check_limit",
    "counted_tags",
    "recount_tags",
    "tag_count",
    "tags_by_prefix",
    "trending_tags",
]

_Counts = SearchTagCountRow
_PUBLIC = Visibility.PUBLIC.value

_ADD_DELTAS = text(
    "INSERT INTO search_tag_counts (tag, posts_count) "
    "SELECT tag, delta FROM unnest(:tags, :deltas) AS change(tag, delta) ORDER BY tag "
    "ON CONFLICT (tag) DO UPDATE "
    "SET posts_count = greatest(search_tag_counts.posts_count + excluded.posts_count, 0)"
).bindparams(bindparam("tags", type_=ARRAY(Text)), bindparam("deltas", type_=ARRAY(Integer)))
_DROP_UNUSED = text(
    "DELETE FROM search_tag_counts WHERE tag = ANY(:tags) AND posts_count <= 0"
).bindparams(bindparam("tags", type_=ARRAY(Text)))
_RECOUNT = (
    text("DELETE FROM search_tag_counts"),
    text(
        "INSERT INTO search_tag_counts (tag, posts_count) "
        "SELECT tag, count(*) FROM search_post_documents, unnest(tags) AS tag "
        "WHERE visibility = 'public' GROUP BY tag"
    ),
)
_TRENDING = text(
    "SELECT tag, count(*) AS posts_count FROM search_post_documents, unnest(tags) AS tag "
    "WHERE visibility = 'public' AND created_at > :since "
    'GROUP BY tag ORDER BY posts_count DESC, tag COLLATE "C" LIMIT :limit'
).bindparams(bindparam("since", type_=DateTime(timezone=True)), bindparam("limit"))


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid.field("limit", f"must be between 1 and {MAX_LIMIT}")


def counted_tags(tags: Sequence[str], visibility: str) -> set[str]:
    """The tags a document adds to the counts: all of them if it is public, none otherwise."""
    return set(tags) if visibility == _PUBLIC else set()


async def apply_tag_changes(
    session: AsyncSession, *, removed: Collection[str], added: Collection[str]
) -> None:
    """One public document fewer for each of ``removed``, one more for each of ``added``."""
    deltas = dict.fromkeys(removed, -1) | dict.fromkeys(added, 1)
    if not deltas:
        return
    names = sorted(deltas)
    await session.execute(_ADD_DELTAS, {"tags": names, "deltas": [deltas[n] for n in names]})
    if removed:
        await session.execute(_DROP_UNUSED, {"tags": sorted(removed)})


async def recount_tags(session: AsyncSession) -> None:
    """Every count from the documents as this transaction sees them (after a rebuild)."""
    for statement in _RECOUNT:
        await session.execute(statement)


async def tags_by_prefix(session: AsyncSession, prefix: str, limit: int) -> list[TagCount]:
    """A range over the ``text_pattern_ops`` index, most used first, ties by name (byte order,
    like OpenSearch's ``_key`` and Python's ``str``)."""
    check_limit(limit)
    wanted = normalize_tag(prefix)
    if not wanted:
        return []
    query = (
        select(_Counts.tag, _Counts.posts_count)
        .where(starts_with(_Counts.tag, wanted), _Counts.posts_count > 0)
        .order_by(_Counts.posts_count.desc(), _Counts.tag.collate("C"))
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [TagCount(name=tag, posts_count=count) for tag, count in rows]


async def trending_tags(session: AsyncSession, since: datetime, limit: int) -> list[TagCount]:
    """Counted from the documents themselves: the window is arbitrary, the counts table is not
    per time. The ``(created_at, id)`` index bounds the scan to the window."""
    check_limit(limit)
    rows = (await session.execute(_TRENDING, {"since": since, "limit": limit})).all()
    return [TagCount(name=tag, posts_count=count) for tag, count in rows]


async def tag_count(session: AsyncSession, tag: str) -> int:
    wanted = normalize_tag(tag)
    if not wanted:
        return 0
    found = await session.scalar(select(_Counts.posts_count).where(_Counts.tag == wanted))
    return max(int(found or 0), 0)
