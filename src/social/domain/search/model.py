"""What the search index knows of a post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from social.domain.shared.errors import Invalid

__all__ = ["GeoPoint", "PostDocument", "Visibility", "normalize_tag", "normalize_tags"]


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


def normalize_tag(tag: str) -> str:
    """``"#Sunset "`` → ``"sunset"``: applied to stored tags and to queries alike, so a lookup
    is case-insensitive and the ``#`` optional in every adapter."""
    return tag.strip().lstrip("#").lower()


def normalize_tags(tags: tuple[str, ...]) -> list[str]:
    """A document's tags normalized, without blanks or repeats, in their first-seen order."""
    return [tag for tag in dict.fromkeys(normalize_tag(tag) for tag in tags) if tag]
