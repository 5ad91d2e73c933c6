"""Turn an upload into safe, sized renditions (POST-2): the background half of an upload."""

from __future__ import annotations

import logging
from dataclasses import replace
from uuid import UUID

from social.domain.media.errors import MediaRejected
from social.domain.media.model import (
    POST_IMAGE_VARIANTS,
    MediaItem,
    MediaKind,
    MediaLimits,
    MediaStatus,
    Variant,
)
from social.domain.media.ports import ImageProcessor, MediaStorage, VideoProcessor
from social.domain.media.unit_of_work import MediaUnitOfWorkFactory

__all__ = ["ProcessMedia"]

log = logging.getLogger(__name__)


class ProcessMedia:
    """Rules: the bytes decide (an upload declared as a photo that is not one fails); every
    variant is free of metadata; a rejected file ends ``failed`` with the reason; the original
    (which still carries EXIF and GPS) is deleted once processed either way. Idempotent: an item
    no longer ``processing`` is left alone, and a rerun after a crash redoes the work. Once
    ready, the item counts the bytes of its renditions against the owner's storage quota (the
    upload's size until then); a failed one counts nothing."""

    def __init__(
        self,
        *,
        uow: MediaUnitOfWorkFactory,
        storage: MediaStorage,
        images: ImageProcessor,
        videos: VideoProcessor,
        limits: MediaLimits,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._images = images
        self._videos = videos
        self._limits = limits

    async def execute(self, media_id: UUID) -> MediaStatus | None:
        async with self._uow() as uow:
            item = await uow.media.get(media_id)
        if item is None or item.status is not MediaStatus.PROCESSING or not item.original_key:
            return None
        try:
            done = await self._process(item, item.original_key)
        except MediaRejected as rejected:
            done = replace(item, status=MediaStatus.FAILED, error=rejected.message, size_bytes=0)
        async with self._uow() as uow:
            current = await uow.media.get(media_id)
            if current is None:  # discarded meanwhile: drop what was made
                await self._remove(done.storage_keys)
                return None
            if current.status is not MediaStatus.PROCESSING:
                return None  # a concurrent run (a retry) finished first; its keys are these
            await uow.media.update(replace(done, original_key=None))
            await uow.commit()
        await self._remove([item.original_key])
        log.info("media processed", extra={"media_id": str(media_id), "status": done.status.value})
        return done.status

    async def _process(self, item: MediaItem, key: str) -> MediaItem:
        info = await self._storage.stat(key)
        if info is None:
            raise MediaRejected("The upload did not arrive; upload the file again.")
        if info.size > self._limits.max_bytes(item.kind):
            raise MediaRejected("The file is larger than allowed.")
        prefix = key.rsplit("/", 1)[0]
        if item.kind is MediaKind.VIDEO:
            video = await self._videos.process(self._storage, key, prefix)
            stored = 0
            for variant in video.variants:
                found = await self._storage.stat(variant.key)
                stored += found.size if found else 0
            return replace(
                item,
                status=MediaStatus.READY,
                width=video.width,
                height=video.height,
                duration_s=video.duration_s,
                blurhash=video.blurhash,
                variants=video.variants,
                size_bytes=stored,
            )
        data = await self._storage.get(key)
        if not self._images.recognizes(data[:64]):
            raise MediaRejected("This file is not a photo (JPEG, PNG, WebP or HEIC).")
        image = await self._images.process(data, POST_IMAGE_VARIANTS)
        variants = []
        for encoded in image.variants:
            variant_key = f"{prefix}/{encoded.name}.jpg"
            await self._storage.put(variant_key, encoded.data, content_type=encoded.content_type)
            variants.append(
                Variant(
                    encoded.name, encoded.width, encoded.height, variant_key, encoded.content_type
                )
            )
        return replace(
            item,
            status=MediaStatus.READY,
            width=image.width,
            height=image.height,
            blurhash=image.blurhash,
            variants=tuple(variants),
            size_bytes=sum(len(encoded.data) for encoded in image.variants),
        )

    async def _remove(self, keys: list[str]) -> None:
        for key in keys:
            await self._storage.delete(key)
