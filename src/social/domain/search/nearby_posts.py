"""The place page (FEED-2): posts near a point, through the search port's distance query."""

from __future__ import annotations

from enum import StrEnum

from social.domain.reads.cards import Reads, card_page
from social.domain.reads.model import PostCard
from social.domain.search.model import GeoPoint, check_radius_km
from social.domain.search.ports import SearchIndex
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor

__all__ = ["NearbyOrder", "NearbyPosts"]


class NearbyOrder(StrEnum):
    DISTANCE = "distance"
    RECENT = "recent"


class NearbyPosts:
    """Rules: public posts whose place lies within the radius (at most 50 km) of the point,
    nearest or newest first; posts the viewer may not see (blocked, suspended) are left out."""

    def __init__(self, *, reads: Reads, search: SearchIndex) -> None:
        self._reads = reads
        self._search = search

    async def by_distance(
        self,
        viewer: Viewer | None,
        center: GeoPoint,
        radius_km: float,
        page: PageRequest[RankCursor],
    ) -> Page[PostCard, RankCursor]:
        check_radius_km(radius_km)
        ids = await self._search.posts_near(center, radius_km, page)
        return await card_page(self._reads, viewer, ids)

    async def by_time(
        self, viewer: Viewer | None, center: GeoPoint, radius_km: float, page: PageRequest[Cursor]
    ) -> Page[PostCard, Cursor]:
        check_radius_km(radius_km)
        ids = await self._search.posts_near_recent(center, radius_km, page)
        return await card_page(self._reads, viewer, ids)
