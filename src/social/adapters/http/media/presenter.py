"""Media records as the API shows them: with URLs the storage adapter signs.

Signing is pure computation but not free (S3's SigV4 is a chain of HMACs; a feed page holds
hundreds of URLs), so a signed URL is reused while it still has most of its life ahead: a URL
signed for an hour is handed out for its first ten minutes, so every URL a client receives is
valid for at least fifty.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import timedelta

from social.adapters.http.media.schemas import MediaOut, MediaVariantOut
from social.domain.media.model import MediaItem
from social.domain.media.ports import MediaStorage

__all__ = ["MediaPresenter"]

PREVIEW_VARIANTS = ("small", "thumb")
VIDEO_VARIANT = "video"


class MediaPresenter:
    """``url`` is the video rendition of a video and the largest variant of a photo;
    ``preview_url`` a small poster or photo for grids."""

    def __init__(
        self,
        storage: MediaStorage,
        *,
        url_ttl: timedelta = timedelta(hours=1),
        reuse_for: timedelta = timedelta(minutes=10),
        max_cached: int = 100_000,
    ) -> None:
        self._storage = storage
        self._ttl = url_ttl
        self._reuse_s = min(reuse_for, url_ttl / 2).total_seconds()
        self._max = max_cached
        self._signed: OrderedDict[str, tuple[float, str]] = OrderedDict()

    async def url(self, key: str) -> str:
        if self._reuse_s <= 0:  # the caller caches what it builds (the read model does)
            return await self._storage.presigned_get_url(key, expires_in=self._ttl)
        now = time.monotonic()
        cached = self._signed.get(key)
        if cached is not None and now - cached[0] < self._reuse_s:
            return cached[1]
        signed = await self._storage.presigned_get_url(key, expires_in=self._ttl)
        self._signed[key] = (now, signed)
        self._signed.move_to_end(key)
        if len(self._signed) > self._max:
            self._signed.popitem(last=False)
        return signed

    async def media_out(self, item: MediaItem) -> MediaOut:
        variants = [
            MediaVariantOut(name=v.name, width=v.width, height=v.height, url=await self.url(v.key))
            for v in item.variants
        ]
        largest = max(variants, key=lambda v: v.width, default=None)
        main = next((v for v in variants if v.name == VIDEO_VARIANT), largest)
        preview = next((v for v in variants if v.name in PREVIEW_VARIANTS), largest)
        return MediaOut(
            id=item.id,
            kind=item.kind.value,
            status=item.status.value,
            error=item.error,
            alt_text=item.alt_text,
            width=item.width,
            height=item.height,
            duration_s=item.duration_s,
            blurhash=item.blurhash,
            url=main.url if main else None,
            variants=variants,
            preview_url=preview.url if preview else None,
        )

    async def maybe(self, item: MediaItem | None) -> MediaOut | None:
        return await self.media_out(item) if item is not None else None
