"""/media: uploads, straight or by presigned URL, and their processing state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, HeaderParameter, JSONBody
from msgspec import Meta

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.media.schemas import MediaOut
from social.adapters.http.openapi import problems
from social.adapters.http.request_body import FormBody, RequestBody
from social.adapters.http.request_limits import AltText, ImageContentType, VideoContentType
from social.domain.media.manage_media import GetMedia
from social.domain.media.model import MediaKind
from social.domain.media.presigned_upload import CompleteUpload, RequestUpload
from social.domain.media.upload_media import UploadMedia
from social.domain.shared.identity import Viewer

__all__ = ["IdempotencyKey", "media_controller"]

Media = Injected[MediaPresenter]
Me = NamedDependency[Viewer]
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=255,
        required=False,
        description="Repeat a request with the same key to get the first result back.",
    ),
]
CHUNK = 256 * 1024


class MediaForm(FormBody):
    file: UploadFile
    alt_text: str | None = None


class _UploadRequest(RequestBody, kw_only=True, tag_field="kind"):
    """The body of ``POST /media/uploads``; ``kind`` picks which content types it may declare."""

    size: Annotated[int, Meta(ge=1)]
    alt_text: AltText | None = None


class ImageUploadIn(_UploadRequest, kw_only=True, tag="image"):
    content_type: ImageContentType


class VideoUploadIn(_UploadRequest, kw_only=True, tag="video"):
    content_type: VideoContentType


UploadRequestIn = ImageUploadIn | VideoUploadIn


class UploadOut(msgspec.Struct, kw_only=True):
    media: MediaOut
    upload_url: str
    expires_at: datetime


async def _chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK):
        yield chunk


def media_controller(max_upload_bytes: int) -> type[Controller]:
    """The controller, with the request size cap of the largest upload (a video)."""

    class MediaController(Controller):
        path = "/media"
        tags = ["media"]
        security = BEARER_SECURITY

        @post(
            "/",
            operation_id="uploadMedia",
            status_code=202,
            summary="Upload a photo or video (multipart `file`, optional `alt_text`)",
            description="Processing continues in the background: poll GET /media/{id}. "
            "413 `/problems/payload-too-large` for a file over its kind's limit, "
            "413 `/problems/storage-quota-exceeded` when it would not fit in the caller's "
            "storage quota.",
            request_max_body_size=max_upload_bytes + 1024 * 1024,
            responses=problems(401, 413, 415, 422),
        )
        async def upload(
            self,
            data: Annotated[MediaForm, Body(media_type=RequestEncodingType.MULTI_PART)],
            upload_media: Injected[UploadMedia],
            viewer: Me,
            media: Media,
            idempotency_key: IdempotencyKey = None,
        ) -> MediaOut:
            try:
                item = await upload_media.execute(
                    viewer,
                    _chunks(data.file),
                    alt_text=data.alt_text,
                    idempotency_key=idempotency_key,
                )
            finally:
                await data.file.close()
            return await media.media_out(item)

        @post(
            "/uploads",
            operation_id="requestUpload",
            status_code=201,
            summary="Get a presigned URL to upload a large file straight to storage",
            description="PUT exactly `size` bytes to `upload_url` with `Content-Type: "
            "<content_type>` and `Content-Length: <size>` (a chunked body is refused), then "
            "call POST /media/{id}/complete. The storage refuses any other type or length. "
            "The declared size counts against the caller's storage quota at once: 413 "
            "`/problems/storage-quota-exceeded` when it does not fit.",
            responses=problems(401, 409, 413, 422),
        )
        async def request_upload(
            self,
            data: JSONBody[UploadRequestIn],
            request_upload: Injected[RequestUpload],
            viewer: Me,
            media: Media,
            idempotency_key: IdempotencyKey = None,
        ) -> UploadOut:
            upload = await request_upload.execute(
                viewer,
                kind=MediaKind.IMAGE if isinstance(data, ImageUploadIn) else MediaKind.VIDEO,
                content_type=data.content_type,
                size=data.size,
                alt_text=data.alt_text,
                idempotency_key=idempotency_key,
            )
            return UploadOut(
                media=await media.media_out(upload.media),
                upload_url=upload.upload_url,
                expires_at=upload.expires_at,
            )

        @post(
            "/{media_id:uuid}/complete",
            operation_id="completeUpload",
            status_code=202,
            summary="Start processing a file uploaded to its presigned URL",
            responses=problems(401, 404, 409, 413),
        )
        async def complete(
            self,
            media_id: FromPath[UUID],
            complete_upload: Injected[CompleteUpload],
            viewer: Me,
            media: Media,
        ) -> MediaOut:
            return await media.media_out(await complete_upload.execute(viewer, media_id))

        @get(
            "/{media_id:uuid}",
            operation_id="getMedia",
            summary="An upload and its state",
            responses=problems(401, 404),
        )
        async def get_media(
            self, media_id: FromPath[UUID], get_media: Injected[GetMedia], viewer: Me, media: Media
        ) -> MediaOut:
            return await media.media_out(await get_media.execute(viewer, media_id))

    return MediaController
