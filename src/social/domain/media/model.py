"""Media items: uploaded photos and videos, their processing state and sized variants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

__all__ = ["MediaItem", "MediaKind", "MediaPurpose", "MediaStatus", "Variant", "VariantSpec"]


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class MediaStatus(StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class MediaPurpose(StrEnum):
    AVATAR = "avatar"
    POST = "post"


@dataclass(frozen=True, slots=True)
class VariantSpec:
    """A size to produce: ``width`` px wide (never upscaled); ``square`` crops to the centre."""

    name: str
    width: int
    square: bool = False


@dataclass(frozen=True, slots=True)
class Variant:
    """A stored rendition of a media item."""

    name: str
    width: int
    height: int
    key: str
    content_type: str


@dataclass(frozen=True, slots=True)
class MediaItem:
    id: UUID
    owner_id: UUID
    kind: MediaKind
    purpose: MediaPurpose
    status: MediaStatus
    created_at: datetime
    width: int | None = None
    height: int | None = None
    blurhash: str | None = None
    variants: tuple[Variant, ...] = field(default_factory=tuple)
    error: str | None = None
    alt_text: str | None = None
    duration_s: float | None = None

    @property
    def storage_keys(self) -> list[str]:
        return [variant.key for variant in self.variants]
