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
from social.domain.media.ports import (
    ImageProcessor,
    MediaStorage,
    MediaUnitOfWorkFactory,
    ProcessedImage,
    VideoProcessor,
    as_body,
)

__all__ = ["ProcessMedia", "variant_key"]

log = logging.getLogger(__name__)


class ProcessMedia:
    """Rules: the bytes decide (an upload declared as a photo that is not one fails); every
    variant is free of metadata; a rejected file ends ``failed`` with the reason; the original
    (which still carries EXIF and GPS) is deleted once processed either way. Idempotent: an item
    no longer ``processing`` is left alone, and a rerun after a crash redoes the work. Once
    ready, the item counts the bytes of its renditions against the owner's storage quota (the
    upload's size until then); a failed one counts nothing. An alt text written meanwhile
    (``DescribeMedia``) is kept."""

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
            # the alt text may have been edited while the file was processed: keep it
            await uow.media.update(replace(done, original_key=None, alt_text=current.alt_text))
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
            return await self._video(item, key, prefix)
        data = await self._storage.get(key)
        if not self._images.recognizes(data[:64]):
            raise MediaRejected("This file is not a photo (JPEG, PNG, WebP or HEIC).")
        image = await self._images.process(data, POST_IMAGE_VARIANTS)
        return replace(
            item,
            status=MediaStatus.READY,
            width=image.width,
            height=image.height,
            blurhash=image.blurhash,
            variants=await self._store_images(image, prefix),
            size_bytes=sum(len(encoded.data) for encoded in image.variants),
        )

    async def _video(self, item: MediaItem, key: str, prefix: str) -> MediaItem:
        """The rendition streamed from where the processor made it, and the poster frame's
        variants made like a photo's. Nothing is stored before everything is made, so a rejected
        video (or poster) leaves nothing behind."""
        async with self._videos.process(await self._storage.stream(key)) as video:
            poster = await self._images.process(video.poster, POST_IMAGE_VARIANTS)
            rendition = await self._storage.put(
                variant_key(prefix, "video", video.content_type),
                video.rendition,
                content_type=video.content_type,
            )
        posters = await self._store_images(poster, prefix)
        return replace(
            item,
            status=MediaStatus.READY,
            width=video.width,
            height=video.height,
            duration_s=video.duration_s,
            blurhash=poster.blurhash,
            variants=(
                Variant("video", video.width, video.height, rendition.key, video.content_type),
                *posters,
            ),
            size_bytes=rendition.size + sum(len(encoded.data) for encoded in poster.variants),
        )

    async def _store_images(self, image: ProcessedImage, prefix: str) -> tuple[Variant, ...]:
        variants = []
        for encoded in image.variants:
            key = variant_key(prefix, encoded.name, encoded.content_type)
            await self._storage.put(key, as_body(encoded.data), content_type=encoded.content_type)
            variants.append(
                Variant(encoded.name, encoded.width, encoded.height, key, encoded.content_type)
            )
        return tuple(variants)

    async def _remove(self, keys: list[str]) -> None:
        for key in keys:
            await self._storage.delete(key)


_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "video/mp4": "mp4"}


def variant_key(prefix: str, name: str, content_type: str) -> str:
    """``media/<owner>/<id>/<name>.<ext>``: beside the original, the same for every rerun."""
    return f"{prefix}/{name}.{_EXTENSIONS.get(content_type, 'jpg')}"
