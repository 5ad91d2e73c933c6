"""An in-memory ``SearchIndex``: the contract suite holds it to the real adapters' answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC
from uuid import UUID

from social.domain.search.model import (
    GeoPoint,
    PostDocument,
    Visibility,
    check_radius_km,
    distance_m,
    normalize_tag,
)
from social.domain.shared.pagination import (
    Cursor,
    Page,
    PageRequest,
    RankCursor,
    RankedPageRequest,
)

__all__ = ["InMemorySearchIndex"]


class InMemorySearchIndex:
    """Stores documents by post id; queries see every write at once, like PostgreSQL does."""

    def __init__(self) -> None:
        self.documents: dict[UUID, PostDocument] = {}

    async def ensure_index(self) -> None:
        """Nothing to create."""

    async def upsert(self, document: PostDocument) -> None:
        tags = tuple(t for t in dict.fromkeys(normalize_tag(t) for t in document.tags) if t)
        self.documents[document.post_id] = replace(document, tags=tags)

    async def delete(self, post_id: UUID) -> None:
        self.documents.pop(post_id, None)

    async def posts_by_tag(self, tag: str, page: PageRequest) -> Page[UUID]:
        wanted = normalize_tag(tag)
        return _newest_first((doc for doc in self._public() if wanted and wanted in doc.tags), page)

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: RankedPageRequest
    ) -> Page[UUID]:
        keys = sorted((distance, doc.post_id) for doc, distance in self._near(center, radius_km))
        if page.after is not None:
            after = (page.after.rank, page.after.id)
            keys = [key for key in keys if key > after]
        items = keys[: page.limit]
        more = len(keys) > page.limit
        next_cursor = RankCursor(rank=items[-1][0], id=items[-1][1]) if more else None
        return Page(items=[post_id for _, post_id in items], next_cursor=next_cursor)

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest
    ) -> Page[UUID]:
        return _newest_first((doc for doc, _ in self._near(center, radius_km)), page)

    async def refresh(self) -> None:
        """Writes are visible at once."""

    def _public(self) -> Iterable[PostDocument]:
        return (doc for doc in self.documents.values() if doc.visibility is Visibility.PUBLIC)

    def _near(self, center: GeoPoint, radius_km: float) -> list[tuple[PostDocument, float]]:
        """Public located documents within the radius, each with its distance in metres."""
        check_radius_km(radius_km)
        located = [
            (doc, distance_m(center, doc.location))
            for doc in self._public()
            if doc.location is not None
        ]
        return [(doc, distance) for doc, distance in located if distance <= radius_km * 1000]


def _newest_first(documents: Iterable[PostDocument], page: PageRequest) -> Page[UUID]:
    keys = sorted(
        ((doc.created_at.astimezone(UTC), doc.post_id) for doc in documents), reverse=True
    )
    if page.after is not None:
        after = (page.after.at, page.after.id)
        keys = [key for key in keys if key < after]
    items = keys[: page.limit]
    more = len(keys) > page.limit
    next_cursor = Cursor(at=items[-1][0], id=items[-1][1]) if more else None
    return Page(items=[post_id for _, post_id in items], next_cursor=next_cursor)
