"""``MediaAttachment``: a carousel item (the native ``Media`` object) in Mastodon's shape.
Media still processing (or failed) has ``url: null``, which is how a client polling
``GET /api/v1/media/:id`` knows to wait."""

from __future__ import annotations

from typing import Any

import msgspec

from social.adapters.http.media.schemas import MediaOut, MediaVariantOut

__all__ = ["attachment", "attachment_json"]

_SMALL_VARIANTS = ("small", "thumb")


def _dimensions(width: int, height: int) -> dict[str, Any]:
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": round(width / height, 6) if height else None,
    }


def _small(variants: list[MediaVariantOut]) -> MediaVariantOut | None:
    return next((v for v in variants if v.name in _SMALL_VARIANTS), None)


def attachment(media: MediaOut) -> dict[str, Any]:
    """The entity as a plain dict (encoded by the caller, cached with its status)."""
    ready = media.status == "ready" and media.url is not None
    meta: dict[str, Any] = {}
    if media.width and media.height:
        meta["original"] = _dimensions(media.width, media.height)
        if media.duration_s is not None:
            meta["original"]["duration"] = media.duration_s
    small = _small(media.variants)
    if small is not None and small.width and small.height:
        meta["small"] = _dimensions(small.width, small.height)
    return {
        "id": str(media.id),
        "type": media.kind,  # "image" or "video"
        "url": media.url if ready else None,
        "preview_url": (media.preview_url or media.url) if ready else None,
        "remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": media.alt_text,
        "blurhash": media.blurhash,
    }


def attachment_json(media: MediaOut) -> bytes:
    return msgspec.json.encode(attachment(media))
