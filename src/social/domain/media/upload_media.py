"""Upload a photo or video (POST-1): straight to the API, or to storage by a presigned URL."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from social.domain.media.errors import MediaRejected, ObjectTooLarge, StorageQuotaExceeded
from social.domain.media.model import (
    MediaItem,
    MediaKind,
    MediaLimits,
    MediaPurpose,
    MediaStatus,
)
from social.domain.media.ports import ImageProcessor, MediaStorage, VideoProcessor
from social.domain.media.unit_of_work import MediaUnitOfWork, MediaUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Conflict, Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id

__all__ = ["CompleteUpload", "PresignedUpload", "RequestUpload", "UploadMedia"]

SCOPE = "media"
HEAD_BYTES = 64
MAX_SIZE = 1 << 62
"""Stands in for "no declared size" (items recorded before sizes were)."""


def original_key(owner_id: UUID, media_id: UUID) -> str:
    return f"media/{owner_id}/{media_id}/original"


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
        alt = _alt_text(alt_text, self._limits)
        if idempotency_key and (earlier := await _recall(self._uow, viewer, idempotency_key)):
            return earlier
        head, stream = await _peek(chunks, HEAD_BYTES)
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
        item = _new_item(media_id, viewer, kind, self._clock.now(), alt, key, info.size)
        try:
            return await _save_and_process(self._uow, viewer, item, idempotency_key, quota)
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


@dataclass(frozen=True, slots=True)
class PresignedUpload:
    media: MediaItem
    upload_url: str
    expires_at: datetime


class RequestUpload:
    """Rules: the declared kind, content type and size must be acceptable (a size over the
    kind's limit is refused at once); the slot counts its declared size against the user's
    storage quota from the start (checked and recorded under the owner's lock, so concurrent
    requests cannot both fit into the same room); the URL takes exactly the declared size and
    content type; the client PUTs the bytes to it before it expires and calls ``complete``.
    A repeated ``Idempotency-Key`` signs a new URL for the first slot."""

    def __init__(
        self,
        *,
        uow: MediaUnitOfWorkFactory,
        storage: MediaStorage,
        clock: Clock,
        limits: MediaLimits,
        url_ttl: timedelta = timedelta(minutes=30),
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._clock = clock
        self._limits = limits
        self._ttl = url_ttl

    async def execute(
        self,
        viewer: Viewer,
        *,
        kind: MediaKind,
        content_type: str,
        size: int,
        alt_text: str | None = None,
        idempotency_key: str | None = None,
    ) -> PresignedUpload:
        alt = _alt_text(alt_text, self._limits)
        if MediaLimits.kind_of_content_type(content_type) is not kind:
            raise Invalid.field("content_type", f"is not a {kind.value} type we accept")
        if size < 1:
            raise Invalid.field("size", "must be positive")
        if size > self._limits.max_bytes(kind):
            raise ObjectTooLarge(self._limits.max_bytes(kind))
        item = None
        if idempotency_key:
            item = await _recall(self._uow, viewer, idempotency_key)
        if item is None:
            media_id = new_id()
            item = _new_item(
                media_id,
                viewer,
                kind,
                self._clock.now(),
                alt,
                original_key(viewer.user_id, media_id),
                size,
            )
            async with self._uow() as uow:
                await _check_quota(uow, viewer, size, self._limits.storage_quota_bytes)
                await uow.media.add(item)
                if idempotency_key:
                    await uow.idempotency.remember(viewer.user_id, SCOPE, idempotency_key, item.id)
                await uow.commit()
        elif item.kind is not kind:
            raise Invalid.field("kind", "differs from the first request with this Idempotency-Key")
        if item.original_key is None:
            raise Conflict("This upload was already completed.")
        url = await self._storage.presigned_put_url(
            item.original_key,
            content_type=content_type,
            size=item.size_bytes or size,
            expires_in=self._ttl,
        )
        return PresignedUpload(item, url, self._clock.now() + self._ttl)


class CompleteUpload:
    """Rules: only the uploader may complete; the object must have arrived and be within the
    declared size and the kind's limit (else it is deleted and the item fails; the storage
    already refuses other sizes, so this only guards objects that arrived some other way);
    completing twice is harmless."""

    def __init__(
        self,
        *,
        uow: MediaUnitOfWorkFactory,
        storage: MediaStorage,
        limits: MediaLimits,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._limits = limits

    async def execute(self, viewer: Viewer, media_id: UUID) -> MediaItem:
        async with self._uow() as uow:
            item = await uow.media.get(media_id)
        if item is None or item.owner_id != viewer.user_id or item.purpose is not MediaPurpose.POST:
            raise NotFound("No such media.")
        if item.status is not MediaStatus.PROCESSING or item.original_key is None:
            return item
        info = await self._storage.stat(item.original_key)
        if info is None or info.size == 0:
            raise Conflict("Nothing was uploaded yet: PUT the file to the upload URL first.")
        allowed = min(item.size_bytes or MAX_SIZE, self._limits.max_bytes(item.kind))
        if info.size > allowed:
            await self._storage.delete(item.original_key)
            async with self._uow() as uow:
                await uow.media.update(
                    replace(
                        item,
                        status=MediaStatus.FAILED,
                        original_key=None,
                        error="The file is larger than allowed.",
                        size_bytes=0,
                    )
                )
                await uow.commit()
            raise ObjectTooLarge(allowed)
        async with self._uow() as uow:
            await uow.jobs.enqueue("process_media", media_id=str(item.id))
            await uow.commit()
        return item


def _alt_text(alt_text: str | None, limits: MediaLimits) -> str | None:
    text = (alt_text or "").strip()
    if len(text) > limits.alt_text_max:
        raise Invalid.field("alt_text", f"must be at most {limits.alt_text_max} characters")
    return text or None


def _new_item(
    media_id: UUID,
    viewer: Viewer,
    kind: MediaKind,
    now: datetime,
    alt: str | None,
    key: str,
    size: int,
) -> MediaItem:
    return MediaItem(
        id=media_id,
        owner_id=viewer.user_id,
        kind=kind,
        purpose=MediaPurpose.POST,
        status=MediaStatus.PROCESSING,
        created_at=now,
        alt_text=alt,
        original_key=key,
        size_bytes=size,
    )


async def _check_quota(uow: MediaUnitOfWork, viewer: Viewer, size: int, quota: int) -> None:
    """Within the transaction that adds the item: the owner's quota stays locked until it
    commits, so the next upload counts this one."""
    if not quota:
        return
    used = await uow.media.lock_stored_bytes(viewer.user_id)
    if used + size > quota:
        raise StorageQuotaExceeded(quota, used)


async def _recall(
    uow_factory: MediaUnitOfWorkFactory, viewer: Viewer, key: str
) -> MediaItem | None:
    async with uow_factory() as uow:
        earlier = await uow.idempotency.recall(viewer.user_id, SCOPE, key)
        return await uow.media.get(earlier) if earlier else None


async def _save_and_process(
    uow_factory: MediaUnitOfWorkFactory,
    viewer: Viewer,
    item: MediaItem,
    key: str | None,
    quota: int,
) -> MediaItem:
    async with uow_factory() as uow:
        await _check_quota(uow, viewer, item.size_bytes, quota)
        await _save(uow, viewer, item, key)
        await uow.jobs.enqueue("process_media", media_id=str(item.id))
        await uow.commit()
    return item


async def _save(uow: MediaUnitOfWork, viewer: Viewer, item: MediaItem, key: str | None) -> None:
    await uow.media.add(item)
    if key:
        await uow.idempotency.remember(viewer.user_id, SCOPE, key, item.id)


async def _peek(chunks: AsyncIterable[bytes], size: int) -> tuple[bytes, AsyncIterator[bytes]]:
    """The first ``size`` bytes (or fewer, at the end) and an iterator over all the bytes."""
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
