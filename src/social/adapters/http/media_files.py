"""The HTTP side of local-disk presigned URLs: ``/media-files/{key}?expires=…&signature=…``.

In the embedded mode there is no S3 service to hand presigned URLs to, so the app plays its part:
``GET`` serves an object, ``PUT`` stores one, each only with a valid, unexpired signature from
``LocalDiskMediaStorage`` (tampering with the key, expiry, method, or the PUT's declared content
type or size breaks it). Downloads are served ``inline`` with the stored content type,
``nosniff`` and a sandboxing CSP, so a user's upload can never run as a page of our origin.
An upload must be exactly what was declared, as S3 holds a signed ``Content-Length`` and
``Content-Type`` to it: another type is 415, a ``Content-Length`` over the declared size is 413
before a byte is read, a body that runs past it is cut off with 413 as it streams, and one that
ends short is 400; none of them stores anything. The routes are not part of the public API
document.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable
from pathlib import Path
from typing import Any, NoReturn

from litestar import Request, Router, get, put
from litestar.datastructures import State
from litestar.exceptions import ClientException, NotFoundException, PermissionDeniedException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, FromQuery
from litestar.response import Stream

from social.adapters.storage.local_disk import LocalDiskMediaStorage
from social.adapters.storage.streaming import read_chunks
from social.domain.media.errors import ObjectNotFound, ObjectTooLarge

__all__ = ["media_files_router"]

_DENIED = "The media link is invalid or has expired."


class _ShortBody(Exception):
    """The body ended before the declared size: nothing may be stored."""


StorageSource = Callable[[State], LocalDiskMediaStorage]
"""Finds the storage at request time: the app opens its adapters only when it starts."""


def media_files_router(
    storage_of: StorageSource, *, max_upload_bytes: int, cache_max_age_s: int = 3600
) -> Router:
    """Routes serving and receiving the storage's objects through its presigned URLs."""

    @get("/{key:path}", include_in_schema=False)
    async def download_media_file(
        state: State,
        key: FromPath[Path],
        expires: FromQuery[str] = "",
        signature: FromQuery[str] = "",
    ) -> Stream:
        storage, name = storage_of(state), _key(key)
        expiry = _verified_expiry(storage, "GET", name, expires, signature, None)
        try:
            handle, info = await storage.open(name)
        except ObjectNotFound:
            raise NotFoundException("No such media file.") from None
        max_age = min(cache_max_age_s, storage.seconds_until(expiry))
        filename = name.rsplit("/", 1)[-1]
        return Stream(
            read_chunks(handle, 256 * 1024),
            media_type=info.content_type,
            headers={
                "Content-Length": str(info.size),
                "Content-Disposition": f'inline; filename="{filename}"',
                "Cache-Control": f"private, max-age={max_age}",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )

    @put(
        "/{key:path}",
        include_in_schema=False,
        status_code=204,
        request_max_body_size=max_upload_bytes,
    )
    async def upload_media_file(
        request: Request[Any, Any, Any],
        state: State,
        key: FromPath[Path],
        expires: FromQuery[str] = "",
        signature: FromQuery[str] = "",
        size: FromQuery[str] = "",
        content_type: FromQuery[str] = "",
    ) -> None:
        storage, name = storage_of(state), _key(key)
        declared = _declared_size(size)
        _verified_expiry(storage, "PUT", name, expires, signature, content_type, declared)
        sent_type = request.headers.get("content-type", "").strip()
        if sent_type != content_type:
            raise ClientException(
                f"This upload link takes Content-Type {content_type}, not {sent_type or 'none'}.",
                status_code=415,
            )
        sent_length = request.headers.get("content-length")
        if sent_length is not None and sent_length.isdigit() and int(sent_length) != declared:
            _refuse_length(int(sent_length), declared)
        try:
            await storage.put(
                name,
                _exactly(request.stream(), declared),
                content_type=content_type,
                max_size=min(declared, max_upload_bytes),
            )
        except ObjectTooLarge:
            _refuse_length(declared + 1, declared)
        except _ShortBody as short:
            _refuse_length(int(str(short)), declared)

    # The signature is the credential: app-wide auth middleware must let these routes through.
    return Router(
        path="/media-files",
        route_handlers=[download_media_file, upload_media_file],
        opt={"exclude_from_auth": True},
    )


def _key(path: Path) -> str:
    """Litestar hands ``{key:path}`` over as a rooted ``Path``; storage keys are relative."""
    return str(path).lstrip("/")


def _verified_expiry(
    storage: LocalDiskMediaStorage,
    method: str,
    key: str,
    expires: str,
    signature: str,
    content_type: str | None,
    size: int | None = None,
) -> int:
    """The URL's expiry when its signature holds; 403 for anything missing, wrong or expired."""
    try:
        expiry = int(expires)
    except ValueError:
        raise PermissionDeniedException(_DENIED) from None
    if not signature or not storage.verify_signature(
        method, key, expiry, signature, content_type, size
    ):
        raise PermissionDeniedException(_DENIED)
    return expiry


def _declared_size(size: str) -> int:
    """The size an upload URL was signed for; a URL without one is not an upload URL."""
    if not size.isdigit() or len(size) > 20:
        raise PermissionDeniedException(_DENIED)
    return int(size)


def _refuse_length(sent: int, declared: int) -> NoReturn:
    """413 for more bytes than the link was signed for, 400 for fewer."""
    if sent > declared:
        raise RequestEntityTooLarge(f"This upload link takes exactly {declared} bytes.")
    raise ClientException(
        f"The upload ended after {sent} of the {declared} bytes this link takes.",
        status_code=400,
    )


async def _exactly(chunks: AsyncIterable[bytes], size: int) -> AsyncIterator[bytes]:
    """The chunks, failing at the end with ``_ShortBody`` when fewer than ``size`` arrived (the
    storage's ``max_size`` stops it early when more do)."""
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        yield chunk
    if received < size:
        raise _ShortBody(str(received))
