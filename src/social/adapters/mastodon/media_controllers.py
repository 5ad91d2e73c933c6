"""Media of the app API: ``POST /api/v2/media`` (and the v1 upload), ``GET|PUT
/api/v1/media/:id``. The upload, its limits and its processing are the native ones; a client
gets the photo ready when processing ends within ``media_upload_wait_s``, else ``url: null``
(202 on v2) and polls, getting 206 until it is ready.

``/api/v1/media`` and ``/api/v1/media/{id}`` are native paths too: these handlers are mounted
under ``COLLIDING_PREFIX`` (the dispatcher sends app-token callers there)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from litestar import Request, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.openapi import ResponseSpec
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.entities import attachment_json
from social.adapters.mastodon.errors import error_response
from social.adapters.mastodon.params import read_params
from social.adapters.mastodon.status_views import json_body
from social.domain.media.manage_media import GetMedia
from social.domain.media.model import MediaItem, MediaStatus
from social.domain.media.upload_media import UploadMedia
from social.domain.posts.describe_media import DescribeMedia
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer

__all__ = ["media_handlers"]

CHUNK = 256 * 1024
SCOPE = "write:media"
KEY_MAX = 255


async def _chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK):
        yield chunk


def _media_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound("No such media.") from None


def idempotency_key(request: Request[Any, Any, Any]) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and len(key) > KEY_MAX:
        raise Invalid.field("Idempotency-Key", f"Must be at most {KEY_MAX} characters.")
    return key or None


async def _settled(
    get_media: GetMedia, viewer: Viewer, item: MediaItem, wait_s: float
) -> MediaItem:
    """The item once processed, or as it is after ``wait_s`` (polling, the delay doubling)."""
    deadline, delay = time.monotonic() + wait_s, 0.05
    while item.status is MediaStatus.PROCESSING and time.monotonic() < deadline:
        await asyncio.sleep(min(delay, max(deadline - time.monotonic(), 0)))
        delay = min(delay * 2, 0.5)
        item = await get_media.execute(viewer, item.id)
    return item


async def _answer(
    media: MediaPresenter, item: MediaItem, *, processing_status: int
) -> Response[Any]:
    """The attachment (``url: null`` while processing); a failed one is a 422 with the reason."""
    if item.status is MediaStatus.FAILED:
        return error_response(422, f"Validation failed: {item.error or 'processing failed'}")
    status = processing_status if item.status is MediaStatus.PROCESSING else 200
    return json_body(attachment_json(await media.media_out(item)), status)


def media_handlers(max_upload_bytes: int, wait_s: float, colliding_prefix: str) -> list[Any]:
    """The handlers, with the body cap of the largest upload and the processing wait."""

    async def upload(
        request: Request[Any, Any, Any],
        caller: Caller,
        upload_media: UploadMedia,
        get_media: GetMedia,
    ) -> MediaItem:
        viewer = caller.require(SCOPE)
        params = await read_params(request)
        file = params.file("file")
        if file is None:
            raise Invalid.field("file", "A photo or video file is required.")
        # ``focus`` and ``thumbnail`` are accepted and ignored: we keep no focal point, and a
        # video's poster is a frame of it
        try:
            item = await upload_media.execute(
                viewer,
                _chunks(file),
                alt_text=params.text("description"),
                idempotency_key=idempotency_key(request),
            )
        finally:
            await file.close()
        return await _settled(get_media, viewer, item, wait_s)

    body_cap = max_upload_bytes + 1024 * 1024

    @post(
        "/api/v2/media",
        operation_id="mastodonUploadMedia",
        summary="Upload a photo or video (multipart `file`, `description`, `focus`)",
        description="200 with the attachment when processed in time, else 202 with "
        "`url: null`: poll GET /api/v1/media/{id}.",
        request_max_body_size=body_cap,
        status_code=200,
        responses={202: _still_processing("Accepted: still processing (`url: null`)")},
    )
    async def upload_v2(
        request: Request[Any, Any, Any],
        caller: Caller,
        upload_media: Injected[UploadMedia],
        get_media: Injected[GetMedia],
        media: Injected[MediaPresenter],
    ) -> Response[Any]:
        item = await upload(request, caller, upload_media, get_media)
        return await _answer(media, item, processing_status=202)

    @post(
        f"{colliding_prefix}/api/v1/media",
        operation_id="mastodonUploadMediaV1",
        summary="Upload a photo or video (Mastodon's v1 upload: always 200)",
        description="As POST /api/v2/media, but 200 even while processing (`url: null`).",
        request_max_body_size=body_cap,
        status_code=200,
    )
    async def upload_v1(
        request: Request[Any, Any, Any],
        caller: Caller,
        upload_media: Injected[UploadMedia],
        get_media: Injected[GetMedia],
        media: Injected[MediaPresenter],
    ) -> Response[Any]:
        item = await upload(request, caller, upload_media, get_media)
        return await _answer(media, item, processing_status=200)

    @get(
        f"{colliding_prefix}/api/v1/media/{{media_id:str}}",
        operation_id="mastodonGetMedia",
        summary="One of your uploads: 200 when processed, 206 while processing",
        responses={206: _still_processing("Still processing (`url: null`)")},
    )
    async def get_one(
        media_id: FromPath[str],
        caller: Caller,
        get_media: Injected[GetMedia],
        media: Injected[MediaPresenter],
    ) -> Response[Any]:
        item = await get_media.execute(caller.require(SCOPE), _media_id(media_id))
        return await _answer(media, item, processing_status=206)

    @put(
        f"{colliding_prefix}/api/v1/media/{{media_id:str}}",
        operation_id="mastodonUpdateMedia",
        summary="Describe an upload (`description`) before it is posted",
        description="`focus` and `thumbnail` are accepted and ignored. 206 while processing.",
        responses={206: _still_processing("Still processing (`url: null`)")},
    )
    async def update(
        request: Request[Any, Any, Any],
        media_id: FromPath[str],
        caller: Caller,
        get_media: Injected[GetMedia],
        describe_media: Injected[DescribeMedia],
        media: Injected[MediaPresenter],
    ) -> Response[Any]:
        viewer = caller.require(SCOPE)
        params = await read_params(request)
        wanted = _media_id(media_id)
        if "description" in params:
            item = await describe_media.execute(viewer, wanted, params.text("description"))
        else:
            item = await get_media.execute(viewer, wanted)
        return await _answer(media, item, processing_status=206)

    return [upload_v2, upload_v1, get_one, update]


def _still_processing(description: str) -> ResponseSpec:
    """An attachment whose ``url`` is still null (the body of 200, documented as an object)."""
    return ResponseSpec(data_container=dict[str, Any], description=description)
