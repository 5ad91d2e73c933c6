"""/events: an organiser's albums and their photos, and guests opening them (EVT-1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.events.schemas import (
    EventCreateIn,
    EventOut,
    EventPageOut,
    EventUpdateIn,
    OpenEventIn,
    PhotoIdsIn,
    PhotoPageOut,
    RejectedFileOut,
    UploadedPhotosOut,
    event_out,
    photo_out,
)
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging, encode_cursor
from social.adapters.http.request_body import FormBody
from social.domain.events.manage import (
    CreateEvent,
    DeleteEvent,
    EventChanges,
    GetEvent,
    NewEvent,
    SearchEvents,
    UpdateEvent,
)
from social.domain.events.model import EventVisibility
from social.domain.events.opening import OpenEvent
from social.domain.events.photos import (
    AttachEventPhotos,
    ListEventPhotos,
    PhotoFile,
    RemoveEventPhotos,
    UploadEventPhotos,
)
from social.domain.shared.identity import Viewer

__all__ = ["RemovedOut", "events_controller"]

Me = NamedDependency[Viewer]
Media = Injected[MediaPresenter]
EventId = FromPath[UUID]
Query = Annotated[
    str, QueryParameter(name="q", max_length=200, description="Words of the title (any case).")
]
CHUNK = 256 * 1024
GUEST_NOTE = "A password asks guests for it before they see the photos (POST /events/{id}/open)."


class RemovedOut(msgspec.Struct, kw_only=True):
    removed: int


class EventPhotosForm(FormBody):
    files: list[UploadFile]
    """One ``files`` part per photo."""


async def _chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK):
        yield chunk


def events_controller(max_upload_bytes: int) -> type[Controller]:
    """The controller, with the body cap of a bulk upload (all its files together)."""

    class EventController(Controller):
        path = "/events"
        tags = ["events"]
        security = BEARER_SECURITY

        @post(
            "/",
            operation_id="createEvent",
            status_code=201,
            summary="Create an event album; you organise it",
            description="`visibility`: `public` (found by anyone's search), `unlisted` (the "
            "default: opened by whoever has its id), `private` (closed to new guests). "
            + GUEST_NOTE,
            responses=problems(401, 422),
        )
        async def create_event(
            self, data: JSONBody[EventCreateIn], create_event: Injected[CreateEvent], viewer: Me
        ) -> EventOut:
            new = NewEvent(
                title=data.title,
                event_date=data.event_date,
                visibility=EventVisibility(data.visibility),
                password=data.password,
            )
            return event_out(await create_event.execute(viewer, new))

        @get(
            "/",
            operation_id="searchEvents",
            summary="Your events and public ones, by title, newest first",
            responses=problems(401, 422),
            dependencies=MEMBER_PAGE,
        )
        async def search_events(
            self, search_events: Injected[SearchEvents], viewer: Me, page: Paging, q: Query = ""
        ) -> EventPageOut:
            found = await search_events.execute(viewer, q, page.by_time)
            return EventPageOut(
                items=[event_out(v) for v in found.items],
                next_cursor=encode_cursor(found.next_cursor),
            )

        @get(
            "/{event_id:uuid}",
            operation_id="getEvent",
            summary="An event: title, date, whether it asks for a password",
            description="A private event, or one whose organiser you block or who blocks you, "
            "is 404 as if it did not exist.",
            responses=problems(401, 404),
        )
        async def get_event(
            self, event_id: EventId, get_event: Injected[GetEvent], viewer: Me
        ) -> EventOut:
            return event_out(await get_event.execute(viewer, event_id))

        @patch(
            "/{event_id:uuid}",
            operation_id="updateEvent",
            summary="Rename an event or change its date, visibility or password",
            description="Fields left out stay; `password: null` removes it. A new or removed "
            "password forgets every guest's access. Organiser or staff only (403).",
            responses=problems(401, 403, 404, 422),
        )
        async def update_event(
            self,
            event_id: EventId,
            data: JSONBody[EventUpdateIn],
            update_event: Injected[UpdateEvent],
            viewer: Me,
        ) -> EventOut:
            changes = EventChanges(
                title=data.title or None,
                event_date=data.event_date or None,
                visibility=EventVisibility(data.visibility) if data.visibility else None,
                change_password=data.password is not msgspec.UNSET,
                password=data.password or None,
            )
            return event_out(await update_event.execute(viewer, event_id, changes))

        @delete(
            "/{event_id:uuid}",
            operation_id="deleteEvent",
            summary="Delete an event; its photos are removed in the background",
            responses=problems(401, 403, 404),
        )
        async def delete_event(
            self, event_id: EventId, delete_event: Injected[DeleteEvent], viewer: Me
        ) -> None:
            await delete_event.execute(viewer, event_id)

        @post(
            "/{event_id:uuid}/open",
            operation_id="openEvent",
            status_code=200,
            summary="Open an event (with its password if it has one)",
            description="Your access is remembered: the password is asked once per account. "
            "403 `/problems/wrong-event-password` for a wrong one; checks are limited per "
            "account and event (429 with `Retry-After`). The event joins your recently "
            "opened events.",
            responses=problems(401, 403, 404, 422, 429),
        )
        async def open_event(
            self,
            event_id: EventId,
            data: JSONBody[OpenEventIn],
            open_event: Injected[OpenEvent],
            viewer: Me,
        ) -> EventOut:
            return event_out(await open_event.execute(viewer, event_id, data.password))

        @get(
            "/{event_id:uuid}/photos",
            operation_id="listEventPhotos",
            summary="An event's photos in upload order",
            description="403 `/problems/event-password-required` until you open it with its "
            "password. Guests see processed photos; the organiser sees every upload.",
            responses=problems(401, 403, 404, 422),
            dependencies=MEMBER_PAGE,
        )
        async def list_event_photos(
            self,
            event_id: EventId,
            list_event_photos: Injected[ListEventPhotos],
            viewer: Me,
            media: Media,
            page: Paging,
        ) -> PhotoPageOut:
            found = await list_event_photos.execute(viewer, event_id, page.by_rank)
            return PhotoPageOut(
                items=[await photo_out(p, media) for p in found.items],
                next_cursor=encode_cursor(found.next_cursor),
            )

        @post(
            "/{event_id:uuid}/photos",
            operation_id="uploadEventPhotos",
            status_code=202,
            summary="Upload many photos at once (multipart, one `files` part per photo)",
            description="Each file goes through the media pipeline (EXIF stripped, variants "
            "and blurhash made in the background) and joins the event in the order sent. "
            "Files that are not photos, too large or past your storage quota come back in "
            "`rejected`; the others are kept. Organiser only.",
            request_max_body_size=max_upload_bytes,
            responses=problems(401, 403, 404, 413, 422),
        )
        async def upload_event_photos(
            self,
            event_id: EventId,
            data: Annotated[EventPhotosForm, Body(media_type=RequestEncodingType.MULTI_PART)],
            upload_event_photos: Injected[UploadEventPhotos],
            viewer: Me,
            media: Media,
        ) -> UploadedPhotosOut:
            files = [PhotoFile(f.filename or "", _chunks(f)) for f in data.files]
            try:
                done = await upload_event_photos.execute(viewer, event_id, files)
            finally:
                for f in data.files:
                    await f.close()
            return UploadedPhotosOut(
                items=[await photo_out(p, media) for p in done.photos],
                rejected=[RejectedFileOut(filename=r.name, detail=r.reason) for r in done.rejected],
            )

        @post(
            "/{event_id:uuid}/photos/attach",
            operation_id="attachEventPhotos",
            status_code=200,
            summary="Add photos you uploaded through /media (straight or presigned)",
            description="Up to 100 of your photo uploads, processed or still processing, "
            "after the event's last photo; `rejected` is always empty here (one bad id "
            "refuses all with 422). Organiser only.",
            responses=problems(401, 403, 404, 422),
        )
        async def attach_event_photos(
            self,
            event_id: EventId,
            data: JSONBody[PhotoIdsIn],
            attach_event_photos: Injected[AttachEventPhotos],
            viewer: Me,
            media: Media,
        ) -> UploadedPhotosOut:
            photos = await attach_event_photos.execute(viewer, event_id, data.media_ids)
            return UploadedPhotosOut(items=[await photo_out(p, media) for p in photos], rejected=[])

        @delete(
            "/{event_id:uuid}/photos",
            operation_id="removeEventPhotos",
            status_code=200,
            summary="Remove photos from an event (their media is deleted in the background)",
            responses=problems(401, 403, 404, 422),
        )
        async def remove_event_photos(
            self,
            event_id: EventId,
            data: JSONBody[PhotoIdsIn],
            remove_event_photos: Injected[RemoveEventPhotos],
            viewer: Me,
        ) -> RemovedOut:
            removed = await remove_event_photos.execute(viewer, event_id, data.media_ids)
            return RemovedOut(removed=removed)

    return EventController
