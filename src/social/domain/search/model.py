"""What the search index knows of a post."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from social.domain.shared.errors import Invalid

__all__ = [
    "EARTH_RADIUS_M",
    "MAX_RADIUS_KM",
    "GeoPoint",
    "PostDocument",
    "TagCount",
    "UserDocument",
    "Visibility",
    "check_radius_km",
    "distance_m",
]

EARTH_RADIUS_M = 6_371_008.8
"""The mean Earth radius (IUGG), in metres: what every distance in the domain is measured on."""
MAX_RADIUS_KM = 50.0
"""The widest "posts near a point" search an index answers."""


class Visibility(StrEnum):
    PUBLIC = "public"
    """Anyone may see it."""
    FOLLOWERS = "followers"
    """Its author's account is private: approved followers only."""
    HIDDEN = "hidden"
    """Removed by moderation or its author is suspended: nobody."""


@dataclass(frozen=True, slots=True)
class GeoPoint:
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not -90.0 <= self.latitude <= 90.0:
            raise Invalid.field("latitude", "must be between -90 and 90")
        if not -180.0 <= self.longitude <= 180.0:
            raise Invalid.field("longitude", "must be between -180 and 180")


@dataclass(frozen=True, slots=True)
class UserDocument:
    """An account as indexed for people search; only active accounts are indexed."""

    user_id: UUID
    username: str
    display_name: str


@dataclass(frozen=True, slots=True)
class TagCount:
    name: str
    posts_count: int


@dataclass(frozen=True, slots=True)
class PostDocument:
    """A post as indexed for search; ``tags`` are normalized lower-case without ``#``."""

    post_id: UUID
    author_id: UUID
    caption: str
    tags: tuple[str, ...]
    created_at: datetime
    visibility: Visibility = Visibility.PUBLIC
    place_name: str | None = None
    location: GeoPoint | None = None


def distance_m(a: GeoPoint, b: GeoPoint) -> float:
    """The great-circle distance between two points in metres (haversine on the mean sphere)."""
    lat_a, lat_b = math.radians(a.latitude), math.radians(b.latitude)
    half_dlat = math.radians(b.latitude - a.latitude) / 2
    half_dlon = math.radians(b.longitude - a.longitude) / 2
    h = math.sin(half_dlat) ** 2 + math.cos(lat_a) * math.cos(lat_b) * math.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def check_radius_km(radius_km: float) -> None:
    """A search radius must be in ``(0, MAX_RADIUS_KM]`` kilometres (``nan`` is not)."""
    if not 0.0 < radius_km <= MAX_RADIUS_KM:
        raise Invalid.field("radius_km", f"must be more than 0 and at most {MAX_RADIUS_KM:g}")
