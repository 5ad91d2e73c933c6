"""Posts and the rules of their parts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from social.domain.shared.errors import FieldError, Invalid
from social.domain.shared.tags import normalize_tag

__all__ = [
    "Place",
    "Post",
    "PostCounters",
    "PostLimits",
    "engagement",
    "merge_tags",
    "parse_caption",
]

_HASHTAG = re.compile(r"(?<![\w&])#(\w{1,100})")
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{3,30})")


@dataclass(frozen=True, slots=True)
class PostLimits:
    caption_max: int = 2200
    tags_max: int = 30
    tag_max_length: int = 100
    media_min: int = 1
    media_max: int = 10
    place_name_max: int = 100


@dataclass(frozen=True, slots=True)
class Place:
    """A named point; ranges are checked so a bad client cannot poison distance search."""

    name: str
    latitude: float
    longitude: float

    @classmethod
    def parse(cls, name: str, latitude: float, longitude: float, limits: PostLimits) -> Place:
        clean = unicodedata.normalize("NFC", name).strip()
        errors = []
        if not 1 <= len(clean) <= limits.place_name_max:
            errors.append(
                FieldError("place.name", f"must be 1 to {limits.place_name_max} characters")
            )
        if not -90.0 <= latitude <= 90.0:
            errors.append(FieldError("place.latitude", "must be between -90 and 90"))
        if not -180.0 <= longitude <= 180.0:
            errors.append(FieldError("place.longitude", "must be between -180 and 180"))
        if errors:
            raise Invalid(errors)
        return cls(clean, float(latitude), float(longitude))


@dataclass(frozen=True, slots=True)
class Post:
    id: UUID
    author_id: UUID
    caption: str
    tags: tuple[str, ...]
    mentions: tuple[str, ...]
    media_ids: tuple[UUID, ...]
    created_at: datetime
    place: Place | None = None
    comments_enabled: bool = True
    edited_at: datetime | None = None
    likes_count: int = 0
    comments_count: int = 0
    shares_count: int = 0
    extra_tags: tuple[str, ...] = field(default_factory=tuple)
    """Tags given explicitly (not in the caption); kept so editing the caption keeps them."""


@dataclass(frozen=True, slots=True)
class PostCounters:
    likes: int = 0
    comments: int = 0
    shares: int = 0


def engagement(likes: int, comments: int, shares: int) -> int:
    """How much a post engages people, for explore: a share or a comment costs more effort than
    a like, so it says more."""
    return likes + 2 * comments + 3 * shares


def parse_caption(caption: str, limits: PostLimits) -> tuple[str, list[str], list[str]]:
    """The cleaned caption, its hashtags (normalized, first-seen order) and its mentions."""
    text = unicodedata.normalize("NFC", caption).replace("\r\n", "\n").strip()
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    if len(text) > limits.caption_max:
        raise Invalid.field("caption", f"must be at most {limits.caption_max} characters")
    tags = list(dict.fromkeys(normalize_tag(t) for t in _HASHTAG.findall(text)))
    mentions = list(dict.fromkeys(m.lower().rstrip(".") for m in _MENTION.findall(text)))
    return text, tags, [m for m in mentions if len(m) >= 3]


def merge_tags(
    from_caption: list[str], given: list[str], limits: PostLimits
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All tags (caption first) and the explicit extras; each tag a word of ≤ the length limit."""
    extras: list[str] = []
    for raw in given:
        tag = normalize_tag(raw)
        if not tag or len(tag) > limits.tag_max_length or not re.fullmatch(r"\w+", tag):
            raise Invalid.field("tags", f"{raw!r} is not a tag (letters, digits and _ only)")
        if tag not in from_caption and tag not in extras:
            extras.append(tag)
    tags = tuple(from_caption + extras)
    if len(tags) > limits.tags_max:
        raise Invalid.field("tags", f"a post may have at most {limits.tags_max} tags")
    return tags, tuple(extras)
