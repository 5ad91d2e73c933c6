""" "Find my photos" (EVT-2): the photos of one event with the viewer's face in them, best first.

The viewer's face reference (their consented selfie) is matched only against the faces of the
event they asked about, and only once they may see its photos (organiser, staff, a guest who
gave the password, anyone for an event without one): a reference is never used to look through
events the user has not opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.events.access import find_event, require_photos
from social.domain.events.errors import FaceReferenceRequired
from social.domain.events.photos import PhotoView
from social.domain.events.ports import EventsUnitOfWorkFactory
from social.domain.faces.match_faces import MatchFaces
from social.domain.faces.model import FaceMatch
from social.domain.faces.reference import FaceReferences
from social.domain.media.model import MediaStatus
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Page, PageRequest, RankCursor

__all__ = ["FindMyPhotos", "MatchedPhoto"]


@dataclass(frozen=True, slots=True)
class MatchedPhoto:
    """A photo with the viewer's face in it: ``distance`` is how far its nearest face lies from
    the reference (smaller is surer; matches lie within the threshold setting)."""

    view: PhotoView
    distance: float


class FindMyPhotos:
    """Rules: the event must be one whose photos the viewer may see (else 404/403 as for its
    photo list); without a face reference (none given, or consent withdrawn) the search is
    refused with 409 ``face-reference-required``; one entry per photo, nearest first (then by
    id), processed photos still in the event only; the cursor is the last match's distance and
    id, so a page never repeats or skips a photo."""

    def __init__(
        self, *, uow: EventsUnitOfWorkFactory, references: FaceReferences, match: MatchFaces
    ) -> None:
        self._uow = uow
        self._references = references
        self._match = match

    async def execute(
        self, viewer: Viewer, event_id: UUID, page: PageRequest[RankCursor]
    ) -> Page[MatchedPhoto, RankCursor]:
        async with self._uow() as uow:
            require_photos(await find_event(uow, viewer, event_id))
        reference = await self._references.get(viewer.user_id)
        if reference is None:
            raise FaceReferenceRequired(
                "Upload a selfie and consent to face matching first (PUT /me/face)."
            )
        after = FaceMatch(page.after.id, page.after.rank) if page.after is not None else None
        matches = await self._match.execute(
            reference.embedding, [event_id], limit=page.limit + 1, after=after
        )
        kept = matches[: page.limit]
        ids = [m.media_id for m in kept]
        async with self._uow() as uow:
            photos = await uow.events.events_of(ids)
            items = await uow.media.get_many(ids)
        found = [
            MatchedPhoto(PhotoView(photos[m.media_id], items[m.media_id]), m.distance)
            for m in kept
            if m.media_id in photos
            and photos[m.media_id].event_id == event_id
            and m.media_id in items
            and items[m.media_id].status is MediaStatus.READY
        ]
        last = kept[-1] if kept and len(matches) > page.limit else None
        return Page(found, RankCursor(last.distance, last.media_id) if last else None)
