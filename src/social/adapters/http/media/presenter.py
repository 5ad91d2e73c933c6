"""Media records as the API shows them: with URLs the storage adapter signs."""

from __future__ import annotations

import asyncio
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

    def __init__(self, storage: MediaStorage, *, url_ttl: timedelta = timedelta(hours=1)) -> None:
        self._storage = storage
        self._ttl = url_ttl

    async def media_out(self, item: MediaItem) -> MediaOut:
        urls = await asyncio.gather(
            *(self._storage.presigned_get_url(v.key, expires_in=self._ttl) for v in item.variants)
        )
        variants = [
            MediaVariantOut(name=v.name, width=v.width, height=v.height, url=url)
            for v, url in zip(item.variants, urls, strict=True)
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
