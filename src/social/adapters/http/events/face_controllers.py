""" "Find my photos" (EVT-2): a guest's face reference (a selfie, kept only with consent) and
the photos of an event with their face in them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.events.schemas import PhotoOut, photo_out
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging, encode_cursor
from social.adapters.http.request_body import FormBody
from social.domain.events.my_photos import FindMyPhotos
from social.domain.faces.reference import (
    FaceReference,
    ForgetFaceReference,
    GetFaceReference,
    SetFaceReference,
)
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["MyPhotosController", "face_reference_controller"]

Me = NamedDependency[Viewer]
SELFIE_OVERHEAD = 64 * 1024  # multipart framing and the consent part around the file
CONSENT_TEXT = (
    "Biometric data: the selfie's face embedding is kept only with `consent=true`, matched only "
    "against the photos of events you open, and deleted when you withdraw consent (DELETE) or "
    "delete your account. The selfie itself is not stored."
)


class SelfieForm(FormBody):
    selfie: UploadFile
    """A photo showing exactly one face: yours."""
    consent: bool
    """``true``: you agree that the selfie's face embedding is kept for "find my photos"."""


class FaceReferenceOut(msgspec.Struct, kw_only=True):
    consented_at: datetime
    """When you consented (the selfie's upload); the reference is kept until you withdraw."""


class MatchedPhotoOut(msgspec.Struct, kw_only=True):
    photo: PhotoOut
    distance: float
    """How far the photo's nearest face lies from yours (smaller is surer)."""


class MatchedPhotoPageOut(msgspec.Struct, kw_only=True):
    items: list[MatchedPhotoOut]
    next_cursor: str | None


def _out(reference: FaceReference) -> FaceReferenceOut:
    return FaceReferenceOut(consented_at=reference.consented_at)


def face_reference_controller(max_selfie_bytes: int) -> type[Controller]:
    """The controller, with the body cap of a selfie upload."""

    class FaceReferenceController(Controller):
        path = "/me/face"
        tags = ["events"]
        security = BEARER_SECURITY

        @get(
            "/",
            operation_id="getFaceReference",
            summary="Whether you gave a face reference, and when you consented",
            responses=problems(401, 404),
        )
        async def get_face_reference(
            self, get_face_reference: Injected[GetFaceReference], viewer: Me
        ) -> FaceReferenceOut:
            found = await get_face_reference.execute(viewer)
            if found is None:
                raise NotFound("You have no face reference.")
            return _out(found)

        @put(
            "/",
            operation_id="putFaceReference",
            summary="Give (or replace) your face reference: a selfie, with consent",
            description="multipart/form-data with a `selfie` part (exactly one face, else 422 "
            "naming `selfie`) and `consent=true` (else 422 naming `consent`). " + CONSENT_TEXT,
            request_max_body_size=max_selfie_bytes + SELFIE_OVERHEAD,
            responses=problems(401, 413, 415, 422),
        )
        async def put_face_reference(
            self,
            data: Annotated[SelfieForm, Body(media_type=RequestEncodingType.MULTI_PART)],
            set_face_reference: Injected[SetFaceReference],
            viewer: Me,
        ) -> FaceReferenceOut:
            try:
                selfie = await data.selfie.read()
            finally:
                await data.selfie.close()
            return _out(await set_face_reference.execute(viewer, selfie, consent=data.consent))

        @delete(
            "/",
            operation_id="deleteFaceReference",
            status_code=204,
            summary="Withdraw consent: your face reference is deleted at once",
            description="Idempotent. Until a new selfie, `GET /events/{id}/my-photos` answers "
            "409 `/problems/face-reference-required`.",
            responses=problems(401),
        )
        async def delete_face_reference(
            self, forget_face_reference: Injected[ForgetFaceReference], viewer: Me
        ) -> None:
            await forget_face_reference.execute(viewer)

    return FaceReferenceController


class MyPhotosController(Controller):
    path = "/events"
    tags = ["events"]
    security = BEARER_SECURITY

    @get(
        "/{event_id:uuid}/my-photos",
        operation_id="findMyPhotos",
        summary="The event's photos with your face in them, best match first",
        description="Matches your face reference (PUT /me/face) against the faces found in "
        "this event's photos only; 409 `/problems/face-reference-required` without one; "
        "403 `/problems/event-password-required` until you open a password-protected event. "
        "Photos appear once their faces are indexed (a background job after upload).",
        responses=problems(401, 403, 404, 409, 422),
        dependencies=MEMBER_PAGE,
    )
    async def find_my_photos(
        self,
        event_id: FromPath[UUID],
        find_my_photos: Injected[FindMyPhotos],
        viewer: Me,
        media: Injected[MediaPresenter],
        page: Paging,
    ) -> MatchedPhotoPageOut:
        found = await find_my_photos.execute(viewer, event_id, page.by_rank)
        return MatchedPhotoPageOut(
            items=[
                MatchedPhotoOut(photo=await photo_out(m.view, media), distance=m.distance)
                for m in found.items
            ],
            next_cursor=encode_cursor(found.next_cursor),
        )
