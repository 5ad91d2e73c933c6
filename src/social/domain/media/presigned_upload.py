"""Upload to storage by a presigned URL (POST-1): ask for a URL, PUT the bytes, complete."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from social.domain.media.errors import ObjectTooLarge
from social.domain.media.jobs import ProcessMediaItem
from social.domain.media.model import MediaItem, MediaKind, MediaLimits, MediaPurpose, MediaStatus
from social.domain.media.ports import MediaStorage, MediaUnitOfWorkFactory
from social.domain.media.upload_rules import (
    SCOPE,
    check_quota,
    checked_alt_text,
    new_item,
    original_key,
    recall,
)
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Conflict, Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id

__all__ = ["CompleteUpload", "PresignedUpload", "RequestUpload"]

MAX_SIZE = 1 << 62
"""Stands in for "no declared size" (items recorded before sizes were)."""


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
        alt = checked_alt_text(alt_text, self._limits)
        if MediaLimits.kind_of_content_type(content_type) is not kind:
            raise Invalid.field("content_type", f"is not a {kind.value} type we accept")
        if size < 1:
            raise Invalid.field("size", "must be positive")
        if size > self._limits.max_bytes(kind):
            raise ObjectTooLarge(self._limits.max_bytes(kind))
        item = None
        if idempotency_key:
            item = await recall(self._uow, viewer, idempotency_key)
        if item is None:
            media_id = new_id()
            item = new_item(
                media_id,
                viewer,
                kind,
                self._clock.now(),
                alt,
                original_key(viewer.user_id, media_id),
                size,
            )
            async with self._uow() as uow:
                await check_quota(uow, viewer, size, self._limits.storage_quota_bytes)
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
            await uow.jobs.enqueue(ProcessMediaItem(item.id))
            await uow.commit()
        return item
