"""The search index in OpenSearch: production's engine for tags, places, text and people.

Two aliases: the ``index_name`` the adapter is given (posts) and ``{index_name}-users``, each
over a timestamped physical index (``opensearch_aliases``), so ``rebuild`` loads fresh indexes
aside and swaps both aliases at once. Mappings live in ``opensearch_mappings``, the request
bodies in ``opensearch_posts`` and ``opensearch_users``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator, Callable
from contextlib import suppress
from datetime import datetime
from operator import itemgetter
from typing import Any, Never
from uuid import UUID

from opensearchpy import AsyncOpenSearch, NotFoundError

from social.adapters.search import opensearch_posts as posts_query
from social.adapters.search.opensearch_aliases import Aliases, physical_name
from social.adapters.search.opensearch_errors import DEPENDENCY, translate_errors
from social.adapters.search.opensearch_mappings import INDEX_BODY, USERS_INDEX_BODY
from social.adapters.search.opensearch_users import user_source, users_by_prefix, users_page
from social.domain.search.model import GeoPoint, PostDocument, TagCount, UserDocument
from social.domain.shared.errors import Invalid, Unavailable
from social.domain.shared.pagination import (
    MAX_LIMIT,
    Cursor,
    KeyCursor,
    Page,
    PageRequest,
    RankCursor,
    page_of,
)
from social.domain.shared.tags import fold, normalize_tag

__all__ = ["INDEX_BODY", "USERS_INDEX_BODY", "OpenSearchCheck", "OpenSearchIndex"]

_WORD = re.compile(r"\w+")
_EMPTY: Page[UUID, Never] = Page(items=[], next_cursor=None)


class OpenSearchIndex:
    """Posts as documents whose ``_id`` is the post id, accounts likewise by user id, so an
    upsert is a plain index call (through the alias, which points at one index)."""

    def __init__(self, url: str, *, index_name: str, timeout_s: float = 10.0) -> None:
        self._index = index_name
        self._users = f"{index_name}-users"
        self._client = AsyncOpenSearch(hosts=[url], timeout=timeout_s, max_retries=2)
        self._aliases = Aliases(self._client)

    @property
    def client(self) -> AsyncOpenSearch:
        """The shared client, for the readiness check and administration (reindex, tests)."""
        return self._client

    async def close(self) -> None:
        await self._client.close()

    async def ensure_index(self) -> None:
        """Create both indexes (physical index plus alias) if missing; racing is fine."""
        with translate_errors():
            await self._aliases.ensure(self._index, INDEX_BODY)
            await self._aliases.ensure(self._users, USERS_INDEX_BODY)

    async def upsert(self, document: PostDocument) -> None:
        with translate_errors():
            await self._client.index(
                index=self._index,
                id=str(document.post_id),
                body=posts_query.post_source(document),
            )

    async def delete(self, post_id: UUID) -> None:
        with translate_errors(), suppress(NotFoundError):  # already gone: nothing to do
            await self._client.delete(index=self._index, id=str(post_id))

    async def posts_by_tag(self, tag: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        wanted = normalize_tag(tag)
        if not wanted:
            return _EMPTY
        return await self._newest_first(posts_query.with_tag(wanted), page)

    async def posts_matching(self, text: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        if not _WORD.search(fold(text)):
            return _EMPTY
        return await self._newest_first(posts_query.matching(text), page)

    async def posts_at_place(self, name: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        if not _WORD.search(fold(name)):
            return _EMPTY
        return await self._newest_first(posts_query.at_place(name), page)

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        """``geo_distance`` filter, sorted by the arc distance in metres then by id; the distance
        sort value is the cursor's rank, handed back verbatim to ``search_after``."""
        by_distance = {
            "_geo_distance": {
                "location": posts_query.lat_lon(center),
                "order": "asc",
                "unit": "m",
                "distance_type": "arc",
                "mode": "min",
            }
        }
        body = posts_query.filtered(posts_query.near(center, radius_km), page.limit)
        body["sort"] = [by_distance, {"post_id": {"order": "asc"}}]
        if page.after is not None:
            body["search_after"] = [page.after.rank, str(page.after.id)]
        hits = await self._hits(self._index, body)
        rows = [(UUID(hit["sort"][1]), float(hit["sort"][0])) for hit in hits]
        return page_of(rows, page.limit, itemgetter(0), _distance_cursor)

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        return await self._newest_first(posts_query.near(center, radius_km), page)

    async def upsert_user(self, user: UserDocument) -> None:
        with translate_errors():
            await self._client.index(
                index=self._users, id=str(user.user_id), body=user_source(user)
            )

    async def delete_user(self, user_id: UUID) -> None:
        with translate_errors(), suppress(NotFoundError):
            await self._client.delete(index=self._users, id=str(user_id))

    async def users_by_prefix(
        self, prefix: str, page: PageRequest[KeyCursor]
    ) -> Page[UUID, KeyCursor]:
        body = users_by_prefix(prefix, page)
        if body is None:
            return _EMPTY
        return users_page(await self._hits(self._users, body), page.limit)

    async def tags_by_prefix(self, prefix: str, limit: int) -> list[TagCount]:
        _check_limit(limit)
        wanted = normalize_tag(prefix)
        if not wanted:
            return []
        return await self._tags(posts_query.tags_aggregation(limit, prefix=wanted))

    async def trending_tags(self, since: datetime, limit: int) -> list[TagCount]:
        _check_limit(limit)
        return await self._tags(posts_query.tags_aggregation(limit, since=since))

    async def tag_count(self, tag: str) -> int:
        wanted = normalize_tag(tag)
        if not wanted:
            return 0
        body = {"query": {"bool": {"filter": posts_query.with_tag(wanted)}}}
        with translate_errors():
            response = await self._client.count(index=self._index, body=body)
        return int(response["count"])

    async def rebuild(
        self,
        posts: AsyncIterable[PostDocument],
        users: AsyncIterable[UserDocument],
        progress: Callable[[int], None],
    ) -> int:
        """Fresh physical indexes, bulk-loaded and refreshed, then both aliases swapped in one
        ``update_aliases`` call and the old indexes deleted. Until the swap every query and
        write goes to the old indexes (writes made meanwhile are not in the new ones: the
        domain pauses the sync while it rebuilds). A failed rebuild leaves the old ones serving.
        """
        new_posts, new_users = physical_name(self._index), physical_name(self._users)
        with translate_errors():
            await self._aliases.create_for_loading(new_posts, INDEX_BODY)
            await self._aliases.create_for_loading(new_users, USERS_INDEX_BODY)
            try:
                written = await self._aliases.load(new_posts, _post_sources(posts), progress, 0)
                written = await self._aliases.load(
                    new_users, _user_sources(users), progress, written
                )
                await self._aliases.finish_loading([new_posts, new_users])
                unused = await self._aliases.swap({self._index: new_posts, self._users: new_users})
            except BaseException:
                with suppress(Exception):
                    await self._aliases.drop([new_posts, new_users])
                raise
            await self._aliases.drop(unused)
        return written

    async def refresh(self) -> None:
        with translate_errors():
            await self._client.indices.refresh(index=f"{self._index},{self._users}")

    async def _newest_first(
        self, filters: list[dict[str, Any]], page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        body = posts_query.newest_first(filters, page)
        return posts_query.newest_first_page(await self._hits(self._index, body), page.limit)

    async def _tags(self, body: dict[str, Any]) -> list[TagCount]:
        with translate_errors():
            response = await self._client.search(index=self._index, body=body)
        return posts_query.tag_buckets(response)

    async def _hits(self, index: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        with translate_errors():
            response = await self._client.search(index=index, body=body)
        hits: list[dict[str, Any]] = response["hits"]["hits"]
        return hits


class OpenSearchCheck:
    """Readiness probe: the cluster answers and is not red (yellow still serves every query)."""

    name = "search"

    def __init__(self, index: OpenSearchIndex) -> None:
        self._client = index.client

    async def check(self) -> None:
        with translate_errors():
            health = await self._client.cluster.health()
        if health.get("status") == "red":
            raise Unavailable("the search cluster is red", dependency=DEPENDENCY)


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid.field("limit", f"must be between 1 and {MAX_LIMIT}")


async def _post_sources(
    documents: AsyncIterable[PostDocument],
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    async for document in documents:
        yield str(document.post_id), posts_query.post_source(document)


async def _user_sources(
    users: AsyncIterable[UserDocument],
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    async for user in users:
        yield str(user.user_id), user_source(user)


def _distance_cursor(row: tuple[UUID, float]) -> RankCursor:
    return RankCursor(rank=row[1], id=row[0])
