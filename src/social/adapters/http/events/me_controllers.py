"""/me/events/recent and /me/collection: what a guest keeps of the events they open (EVT-1)."""

from __future__ import annotations

import msgspec
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.events.controllers import RemovedOut
from social.adapters.http.events.schemas import (
    PhotoIds,
    RecentEventOut,
    RecentEventPageOut,
    SavedPhotoOut,
    SavedPhotoPageOut,
    event_out,
    photo_out,
)
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging, encode_cursor
from social.adapters.http.request_body import RequestBody
from social.domain.events.collection import BookmarkPhotos, ListCollection, UnbookmarkPhotos
from social.domain.events.opening import ListRecentEvents
from social.domain.shared.identity import Viewer

__all__ = ["EventCollectionController"]

Me = NamedDependency[Viewer]
Media = Injected[MediaPresenter]


class CollectionIn(RequestBody, kw_only=True):
    photo_ids: PhotoIds


class AddedOut(msgspec.Struct, kw_only=True):
    added: int


class EventCollectionController(Controller):
    path = "/me"
    tags = ["events"]
    security = BEARER_SECURITY

    @get(
        "/events/recent",
        operation_id="listRecentEvents",
        summary="Events you opened, latest first",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def list_recent_events(
        self, list_recent_events: Injected[ListRecentEvents], viewer: Me, page: Paging
    ) -> RecentEventPageOut:
        found = await list_recent_events.execute(viewer, page.by_time)
        return RecentEventPageOut(
            items=[
                RecentEventOut(event=event_out(v), opened_at=r.opened_at) for r, v in found.items
            ],
            next_cursor=encode_cursor(found.next_cursor),
        )

    @get(
        "/collection",
        operation_id="listCollection",
        summary="Your bookmarked event photos, latest first",
        description="Photos of events since closed or hidden to you are left out.",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def list_collection(
        self, list_collection: Injected[ListCollection], viewer: Me, media: Media, page: Paging
    ) -> SavedPhotoPageOut:
        found = await list_collection.execute(viewer, page.by_time)
        return SavedPhotoPageOut(
            items=[
                SavedPhotoOut(photo=await photo_out(s, media), saved_at=s.saved.saved_at)
                for s in found.items
            ],
            next_cursor=encode_cursor(found.next_cursor),
        )

    @post(
        "/collection",
        operation_id="bookmarkPhotos",
        status_code=200,
        summary="Bookmark event photos into your collection (bulk)",
        description="Up to 100 photos of events whose photos you may see; 404 (and nothing "
        "added) if any is not. Bookmarking one again changes nothing.",
        responses=problems(401, 404, 422),
    )
    async def bookmark_photos(
        self, data: JSONBody[CollectionIn], bookmark_photos: Injected[BookmarkPhotos], viewer: Me
    ) -> AddedOut:
        return AddedOut(added=await bookmark_photos.execute(viewer, data.photo_ids))

    @delete(
        "/collection",
        operation_id="unbookmarkPhotos",
        status_code=200,
        summary="Remove photos from your collection (bulk)",
        responses=problems(401, 422),
    )
    async def unbookmark_photos(
        self,
        data: JSONBody[CollectionIn],
        unbookmark_photos: Injected[UnbookmarkPhotos],
        viewer: Me,
    ) -> RemovedOut:
        return RemovedOut(removed=await unbookmark_photos.execute(viewer, data.photo_ids))
