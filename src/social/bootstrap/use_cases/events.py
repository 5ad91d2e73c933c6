"""The events context's use cases (EVT-1): albums, opening them, photos, recent, collection."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.events.collection import BookmarkPhotos, ListCollection, UnbookmarkPhotos
from social.domain.events.manage import (
    CreateEvent,
    DeleteEvent,
    GetEvent,
    SearchEvents,
    UpdateEvent,
)
from social.domain.events.my_photos import FindMyPhotos
from social.domain.events.opening import ListRecentEvents, OpenEvent
from social.domain.events.photos import (
    AttachEventPhotos,
    ListEventPhotos,
    RemoveEventPhotos,
    UploadEventPhotos,
)
from social.domain.faces.match_faces import MatchFaces
from social.domain.media.upload_media import UploadMedia

__all__ = ["EventUseCases", "build"]


@dataclass(frozen=True, slots=True)
class EventUseCases:
    create_event: CreateEvent
    update_event: UpdateEvent
    delete_event: DeleteEvent
    get_event: GetEvent
    search_events: SearchEvents
    open_event: OpenEvent
    list_recent_events: ListRecentEvents
    attach_event_photos: AttachEventPhotos
    upload_event_photos: UploadEventPhotos
    remove_event_photos: RemoveEventPhotos
    list_event_photos: ListEventPhotos
    bookmark_photos: BookmarkPhotos
    unbookmark_photos: UnbookmarkPhotos
    list_collection: ListCollection
    find_my_photos: FindMyPhotos


def build(a: Adapters) -> EventUseCases:
    limits = a.settings.events.limits()
    upload = UploadMedia(
        uow=a.uow,
        storage=a.storage,
        images=a.images,
        videos=a.videos,
        clock=a.clock,
        limits=a.settings.media.limits(),
    )
    return EventUseCases(
        create_event=CreateEvent(uow=a.uow, hasher=a.hasher, clock=a.clock, limits=limits),
        update_event=UpdateEvent(uow=a.uow, hasher=a.hasher, clock=a.clock, limits=limits),
        delete_event=DeleteEvent(uow=a.uow),
        get_event=GetEvent(uow=a.uow),
        search_events=SearchEvents(uow=a.uow, limits=limits),
        open_event=OpenEvent(
            uow=a.uow, hasher=a.hasher, limiter=a.rate_limiter, clock=a.clock, limits=limits
        ),
        list_recent_events=ListRecentEvents(uow=a.uow),
        attach_event_photos=AttachEventPhotos(uow=a.uow, clock=a.clock, limits=limits),
        upload_event_photos=UploadEventPhotos(
            uow=a.uow, upload=upload, images=a.images, clock=a.clock, limits=limits
        ),
        remove_event_photos=RemoveEventPhotos(uow=a.uow, limits=limits),
        list_event_photos=ListEventPhotos(uow=a.uow),
        bookmark_photos=BookmarkPhotos(uow=a.uow, clock=a.clock, limits=limits),
        unbookmark_photos=UnbookmarkPhotos(uow=a.uow, limits=limits),
        list_collection=ListCollection(uow=a.uow),
        find_my_photos=FindMyPhotos(
            uow=a.uow,
            references=a.face_references,
            match=MatchFaces(
                index=a.face_index, max_distance=a.settings.faces.face_match_threshold
            ),
        ),
    )
