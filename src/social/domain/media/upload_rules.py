"""What both ways of uploading share: where the original goes, the new item, its alt text,
the storage quota and the ``Idempotency-Key`` scope."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from social.domain.media.errors import StorageQuotaExceeded
from social.domain.media.model import MediaItem, MediaKind, MediaLimits, MediaPurpose, MediaStatus
from social.domain.media.ports import MediaUnitOfWork, MediaUnitOfWorkFactory
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer

__all__ = ["SCOPE", "check_quota", "checked_alt_text", "new_item", "original_key", "recall"]

SCOPE = "media"
"""The ``Idempotency-Key`` scope of both upload routes (a key names one item)."""


def original_key(owner_id: UUID, media_id: UUID) -> str:
    return f"media/{owner_id}/{media_id}/original"


def checked_alt_text(text: str | None, limits: MediaLimits) -> str | None:
    """The alt text trimmed (``None`` when empty); too long is invalid."""
    text = (text or "").strip()
    if len(text) > limits.alt_text_max:
        raise Invalid.field("alt_text", f"must be at most {limits.alt_text_max} characters")
    return text or None


def new_item(
    media_id: UUID,
    viewer: Viewer,
    kind: MediaKind,
    now: datetime,
    alt: str | None,
    key: str,
    size: int,
) -> MediaItem:
    """A post upload, ``processing`` until its job has made the variants."""
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


async def check_quota(uow: MediaUnitOfWork, viewer: Viewer, size: int, quota: int) -> None:
    """Within the transaction that adds the item: the owner's quota stays locked until it
    commits, so the next upload counts this one."""
    if not quota:
        return
    used = await uow.media.lock_stored_bytes(viewer.user_id)
    if used + size > quota:
        raise StorageQuotaExceeded(quota, used)


async def recall(uow_factory: MediaUnitOfWorkFactory, viewer: Viewer, key: str) -> MediaItem | None:
    """The item a request with the same ``Idempotency-Key`` made, if any."""
    async with uow_factory() as uow:
        earlier = await uow.idempotency.recall(viewer.user_id, SCOPE, key)
        return await uow.media.get(earlier) if earlier else None
