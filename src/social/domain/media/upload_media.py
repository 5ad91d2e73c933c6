"""Upload a photo or video straight to the API (POST-1); ``presigned_upload`` is the other way."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterable, AsyncIterator

from social.domain.media.errors import MediaRejected, ObjectTooLarge, StorageQuotaExceeded
from social.domain.media.jobs import ProcessMediaItem
from social.domain.media.model import MediaItem, MediaKind, MediaLimits
from social.domain.media.ports import (
    ImageProcessor,
    MediaStorage,
    MediaUnitOfWorkFactory,
    VideoProcessor,
)
from social.domain.media.upload_rules import (
    SCOPE,
    check_quota,
    checked_alt_text,
    new_item,
    original_key,
    recall,
)
from social.domain.shared.clock import Clock
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id

__all__ = ["UploadMedia", "peek"]

HEAD_BYTES = 64


class UploadMedia:
    """Rules: the kind is judged from the first bytes, not the name or the declared type;
    anything but a photo (JPEG, PNG, WebP, HEIC) or a video (MP4, MOV) is refused before it is
    stored; the bytes stream to storage with the kind's size limit, and the room left in the
    user's storage quota, enforced as they arrive (the quota is checked again, under the
    owner's lock, when the item is saved); the item is ``processing`` until the job has made
    its variants; a repeated ``Idempotency-Key`` returns the first upload."""

    def __init__(
        self,
        *,
        uow: MediaUnitOfWorkFactory,
        storage: MediaStorage,
        images: ImageProcessor,
        videos: VideoProcessor,
        clock: Clock,
        limits: MediaLimits,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._images = images
        self._videos = videos
        self._clock = clock
        self._limits = limits

    async def execute(
        self,
        viewer: Viewer,
        chunks: AsyncIterable[bytes],
        *,
        alt_text: str | None = None,
        idempotency_key: str | None = None,
    ) -> MediaItem:
        alt = checked_alt_text(alt_text, self._limits)
        if idempotency_key and (earlier := await recall(self._uow, viewer, idempotency_key)):
            return earlier
        head, stream = await peek(chunks, HEAD_BYTES)
        kind = self._kind(head)
        quota = self._limits.storage_quota_bytes
        limit = self._limits.max_bytes(kind)
        used = 0
        if quota:
            async with self._uow() as uow:
                used = await uow.media.lock_stored_bytes(viewer.user_id)
            if used >= quota:
                raise StorageQuotaExceeded(quota, used)
            limit = min(limit, quota - used)
        media_id = new_id()
        key = original_key(viewer.user_id, media_id)
        try:
            info = await self._storage.put(
                key, stream, content_type="application/octet-stream", max_size=limit
            )
        except ObjectTooLarge:
            if limit < self._limits.max_bytes(kind):  # the quota, not the kind, cut it off
                raise StorageQuotaExceeded(quota, used) from None
            raise
        if info.size == 0:
            await self._storage.delete(key)
            raise MediaRejected("The file is empty.")
        item = new_item(media_id, viewer, kind, self._clock.now(), alt, key, info.size)
        try:
            return await self._save_and_process(viewer, item, idempotency_key, quota)
        except BaseException:
            with contextlib.suppress(Exception):
                await self._storage.delete(key)
            raise

    def _kind(self, head: bytes) -> MediaKind:
        if self._images.recognizes(head):
            return MediaKind.IMAGE
        if self._videos.recognizes(head):
            return MediaKind.VIDEO
        raise MediaRejected(
            "This file is not a photo (JPEG, PNG, WebP, HEIC) or a video (MP4, MOV)."
        )

    async def _save_and_process(
        self, viewer: Viewer, item: MediaItem, key: str | None, quota: int
    ) -> MediaItem:
        async with self._uow() as uow:
            await check_quota(uow, viewer, item.size_bytes, quota)
            await uow.media.add(item)
            if key:
                await uow.idempotency.remember(viewer.user_id, SCOPE, key, item.id)
            await uow.jobs.enqueue(ProcessMediaItem(item.id))
            await uow.commit()
        return item


async def peek(chunks: AsyncIterable[bytes], size: int) -> tuple[bytes, AsyncIterator[bytes]]:
    """The first ``size`` bytes (or fewer, at the end) and an iterator over all the bytes:
    a stream's type is told from its head without holding the rest."""
    iterator = aiter(chunks)
    buffered = b""
    async for chunk in iterator:
        buffered += chunk
        if len(buffered) >= size:
            break

    async def everything() -> AsyncIterator[bytes]:
        if buffered:
            yield buffered
        async for chunk in iterator:
            yield chunk

    return buffered[:size], everything()
