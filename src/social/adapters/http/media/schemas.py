"""The ``Media`` object of the API (uploads arrive with the media pipeline)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

import msgspec

__all__ = ["MediaOut", "MediaVariantOut"]


class MediaVariantOut(msgspec.Struct, kw_only=True):
    name: str
    width: int
    height: int
    url: str


class MediaOut(msgspec.Struct, kw_only=True):
    id: UUID
    kind: Literal["image", "video"]
    status: Literal["processing", "ready", "failed"]
    error: str | None = None
    alt_text: str | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    blurhash: str | None = None
    url: str | None = None
    variants: list[MediaVariantOut] = msgspec.field(default_factory=list)
    preview_url: str | None = None
