"""An event's photos: the organiser adds many at once (uploaded in one request, or uploaded
through the media endpoints and attached), removes them, and guests list them."""

from __future__ import annotations

from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from social.domain.events.access import find_event, managed_event, require_photos
from social.domain.events.manage import discard_photos
from social.domain.events.model import Event, EventLimits, EventPhoto
from social.domain.events.ports import EventsUnitOfWork, EventsUnitOfWorkFactory
from social.domain.faces.jobs import IndexPhotoFaces
from social.domain.media.errors import MediaRejected, ObjectTooLarge
from social.domain.media.model import MediaItem, MediaKind, MediaPurpose, MediaStatus
from social.domain.media.ports import ImageProcessor
from social.domain.media.upload_media import UploadMedia, peek
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Page, PageRequest, RankCursor

__all__ = [
    "AttachEventPhotos",
    "ListEventPhotos",
    "PhotoFile",
    "PhotoView",
    "RejectedFile",
    "RemoveEventPhotos",
    "UploadEventPhotos",
    "UploadedPhotos",
]

HEAD_BYTES = 64


@dataclass(frozen=True, slots=True)
class PhotoView:
    photo: EventPhoto
    media: MediaItem


@dataclass(frozen=True, slots=True)
class PhotoFile:
    name: str
    chunks: AsyncIterable[bytes]


@dataclass(frozen=True, slots=True)
class RejectedFile:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class UploadedPhotos:
    photos: list[PhotoView]
    rejected: list[RejectedFile]


def _check_count(ids: Sequence[UUID], limits: EventLimits, field: str = "media_ids") -> None:
    if not 1 <= len(ids) <= limits.photos_per_request or len(set(ids)) != len(ids):
        raise Invalid.field(field, f"must list 1 to {limits.photos_per_request} different photos")


async def _attach(
    uow: EventsUnitOfWork, viewer: Viewer, event: Event, ids: Sequence[UUID], clock: Clock
) -> list[PhotoView]:
    items = await uow.media.get_many(ids)
    taken = await uow.events.events_of(ids)
    in_posts = await uow.posts.attached_media(ids)
    new = []
    for media_id in ids:
        item = items.get(media_id)
        if item is None or item.owner_id != viewer.user_id or item.purpose is not MediaPurpose.POST:
            raise Invalid.field("media_ids", f"{media_id} is not one of your uploads")
        if item.kind is not MediaKind.IMAGE:
            raise Invalid.field("media_ids", f"{media_id} is not a photo")
        if item.status is MediaStatus.FAILED:
            raise Invalid.field("media_ids", f"{media_id} could not be processed")
        elsewhere = media_id in taken and taken[media_id].event_id != event.id
        if media_id in in_posts or elsewhere:
            raise Invalid.field("media_ids", f"{media_id} is already in a post or another event")
        if media_id not in taken:
            new.append(media_id)
    await uow.events.add_photos(event.id, new, clock.now())
    for media_id in new:  # found by "find my photos" once their faces are indexed
        await uow.jobs.enqueue(IndexPhotoFaces(media_id, event.id))
    attached = await uow.events.events_of(ids)
    return [PhotoView(attached[m], items[m]) for m in ids]


class AttachEventPhotos:
    """Rules: the organiser attaches up to 100 of their own photo uploads (``POST /media``, or
    the presigned flow) at once, processed or still processing, in the given order after the
    event's last photo; an upload already in this event stays where it is; one in a post or
    another event, a video or a failed upload is refused (and nothing is attached). Each new
    photo's faces are indexed by a job (it waits for a photo still being processed)."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory, clock: Clock, limits: EventLimits) -> None:
        self._uow = uow
        self._clock = clock
        self._limits = limits

    async def execute(
        self, viewer: Viewer, event_id: UUID, media_ids: Sequence[UUID]
    ) -> list[PhotoView]:
        _check_count(media_ids, self._limits)
        async with self._uow() as uow:
            event = await managed_event(uow, viewer, event_id)
            photos = await _attach(uow, viewer, event, media_ids, self._clock)
            await uow.commit()
        return photos


class UploadEventPhotos:
    """Rules: the organiser uploads up to ``photos_per_request`` files in one request; each
    goes through the media pipeline as a photo upload (EXIF stripped, variants and blurhash
    made by its job) and is attached to the event in the order given. A file that is not a
    photo, too large, or past the storage quota is reported back by name and the others are
    kept."""

    def __init__(
        self,
        *,
        uow: EventsUnitOfWorkFactory,
        upload: UploadMedia,
        images: ImageProcessor,
        clock: Clock,
        limits: EventLimits,
    ) -> None:
        self._uow = uow
        self._upload = upload
        self._images = images
        self._clock = clock
        self._limits = limits

    async def execute(
        self, viewer: Viewer, event_id: UUID, files: Sequence[PhotoFile]
    ) -> UploadedPhotos:
        if not 1 <= len(files) <= self._limits.photos_per_request:
            raise Invalid.field("files", f"must hold 1 to {self._limits.photos_per_request} files")
        async with self._uow() as uow:
            await managed_event(uow, viewer, event_id)
        uploaded: list[UUID] = []
        rejected: list[RejectedFile] = []
        for file in files:
            head, stream = await peek(file.chunks, HEAD_BYTES)
            if not self._images.recognizes(head):
                rejected.append(RejectedFile(file.name, "This file is not a photo."))
                continue
            try:
                item = await self._upload.execute(viewer, stream)
            except (MediaRejected, ObjectTooLarge) as error:
                rejected.append(RejectedFile(file.name, error.message))
                continue
            uploaded.append(item.id)
        photos: list[PhotoView] = []
        if uploaded:
            async with self._uow() as uow:
                event = await managed_event(uow, viewer, event_id)
                photos = await _attach(uow, viewer, event, uploaded, self._clock)
                await uow.commit()
        return UploadedPhotos(photos, rejected)


class RemoveEventPhotos:
    """Rules: the organiser (or staff) removes up to 100 photos at once; ids that are not the
    event's are ignored; the removed photos' media is discarded by a job, and they leave every
    collection."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory, limits: EventLimits) -> None:
        self._uow = uow
        self._limits = limits

    async def execute(self, viewer: Viewer, event_id: UUID, media_ids: Sequence[UUID]) -> int:
        _check_count(media_ids, self._limits)
        async with self._uow() as uow:
            event = await managed_event(uow, viewer, event_id)
            removed = await uow.events.remove_photos(event.id, media_ids)
            await discard_photos(uow, removed)
            await uow.commit()
        return len(removed)


class ListEventPhotos:
    """Rules: the photos of an event the viewer may see photos of (its organiser, staff, a
    guest who gave the password, anyone for one without password), in upload order; guests see
    only processed photos, the organiser every upload with its state."""

    def __init__(self, *, uow: EventsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, viewer: Viewer, event_id: UUID, page: PageRequest[RankCursor]
    ) -> Page[PhotoView, RankCursor]:
        async with self._uow() as uow:
            view = await find_event(uow, viewer, event_id)
            require_photos(view)
            found = await uow.events.photos(event_id, page)
            items = await uow.media.get_many(p.media_id for p in found.items)
        shown = [
            PhotoView(p, items[p.media_id])
            for p in found.items
            if p.media_id in items
            and (view.can_manage or items[p.media_id].status is MediaStatus.READY)
        ]
        return Page(shown, found.next_cursor)
