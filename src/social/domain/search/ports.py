"""The search-index port: OpenSearch in production, PostgreSQL in the embedded mode."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from social.domain.search.model import GeoPoint, PostDocument
from social.domain.shared.pagination import Page, PageRequest, RankedPageRequest

__all__ = ["SearchIndex"]


class SearchIndex(Protocol):
    """Every adapter answers the same queries with the same results (the contract suite).

    Distances are great-circle distances in metres (``distance_m``: haversine on the mean Earth
    radius). An adapter may compute them its own way (OpenSearch uses its own arc computation on
    slightly quantized coordinates), so a distance may differ by less than 0.5 % between adapters;
    the posts found, and their order when their distances are well separated, must agree. A radius
    outside ``(0, MAX_RADIUS_KM]`` raises ``Invalid``; a document without a location never matches.
    """

    async def ensure_index(self) -> None:
        """Create the index (mappings, analyzers) if missing; safe to call at every start."""
        ...

    async def upsert(self, document: PostDocument) -> None:
        """Insert or replace the document of ``document.post_id``."""
        ...

    async def delete(self, post_id: UUID) -> None:
        """Remove the post's document; removing a missing one is not an error."""
        ...

    async def posts_by_tag(self, tag: str, page: PageRequest) -> Page[UUID]:
        """Ids of public posts carrying ``tag`` (case-insensitive, ``#`` optional), newest first,
        ties broken by id; the page's cursor continues strictly after its last item."""
        ...

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: RankedPageRequest
    ) -> Page[UUID]:
        """Ids of PUBLIC posts whose location lies within ``radius_km`` of ``center``
        (great-circle distance), nearest first, ties by id ascending; the next cursor is a
        ``RankCursor`` whose rank is the last item's distance in metres."""
        ...

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest
    ) -> Page[UUID]:
        """The same set of posts as ``posts_near``, newest first by ``(created_at, id)`` like
        ``posts_by_tag``, with a ``Cursor``."""
        ...

    async def refresh(self) -> None:
        """Make every write so far visible to queries (near-real-time engines lag otherwise)."""
        ...
