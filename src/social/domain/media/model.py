"""Media items: uploaded photos and videos, their processing state and sized variants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

__all__ = [
    "POST_IMAGE_VARIANTS",
    "MediaItem",
    "MediaKind",
    "MediaLimits",
    "MediaPurpose",
    "MediaStatus",
    "Variant",
    "VariantSpec",
]


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
    original_key: str | None = None
    """Where the upload waits for processing; removed (and cleared) once processed."""
    size_bytes: int = 0
    """What the item counts against its owner's storage quota: the declared (presigned) or
    received (direct) size of the upload while it is processed, the bytes of its stored
    renditions once ready, nothing once failed (its objects are gone)."""

    @property
    def storage_keys(self) -> list[str]:
        """Every object the item owns: its variants and, while unprocessed, the upload."""
        keys = [variant.key for variant in self.variants]
        return [*keys, self.original_key] if self.original_key else keys


POST_IMAGE_VARIANTS = (
    VariantSpec("thumb", 150, square=True),
    VariantSpec("small", 640),
    VariantSpec("large", 1080),
)

IMAGE_CONTENT_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"}
)
VIDEO_CONTENT_TYPES = frozenset({"video/mp4", "video/quicktime"})


@dataclass(frozen=True, slots=True)
class MediaLimits:
    image_max_bytes: int = 20 * 1024 * 1024
    video_max_bytes: int = 200 * 1024 * 1024
    alt_text_max: int = 1000
    storage_quota_bytes: int = 10 * 1024 * 1024 * 1024
    """The most bytes one user's post media may hold (0: no limit); avatars are not counted."""

    def max_bytes(self, kind: MediaKind) -> int:
        return self.image_max_bytes if kind is MediaKind.IMAGE else self.video_max_bytes

    @staticmethod
    def kind_of_content_type(content_type: str) -> MediaKind | None:
        if content_type in IMAGE_CONTENT_TYPES:
            return MediaKind.IMAGE
        if content_type in VIDEO_CONTENT_TYPES:
            return MediaKind.VIDEO
        return None
