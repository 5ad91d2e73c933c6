"""Media bytes in S3/MinIO through the ``minio`` client, for production.

The ``minio`` client is synchronous, so every call that touches the network runs in a worker
thread. Uploads are spooled (in memory up to 1 MiB, then to a temp file) while ``max_size`` is
enforced, and only then sent with their known length: an oversized upload is refused before
anything reaches the bucket, memory stays bounded, and a slow client never holds an S3
connection open. Presigned URLs are signed offline (the region is configured, so the client
never asks the service for it), for ``public_endpoint`` when clients reach the service under
another address than the app does. Upload URLs bind the declared ``Content-Length`` and
``Content-Type`` into the signature (``s3_presign``), so the service refuses any other body.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any, BinaryIO, cast

from minio.error import S3Error

from social.adapters.storage.minio_clients import MinioClients
from social.adapters.storage.minio_errors import translated
from social.adapters.storage.object_keys import (
    is_valid_key,
    validate_content_type,
    validate_key,
    validate_prefix,
)
from social.adapters.storage.s3_presign import presign_with_headers
from social.adapters.storage.streaming import copy_limited
from social.domain.media.errors import ObjectNotFound
from social.domain.media.ports import ObjectInfo

__all__ = ["MinioCheck", "MinioMediaStorage"]

_SPOOL_MEMORY_BYTES = 1 << 20
_LIST_PAGE = 1000  # S3's largest page: one request per page


class MinioMediaStorage:
    """The ``MediaStorage`` port on one S3 bucket."""

    __slots__ = (
        "_access_key",
        "_bucket",
        "_client",
        "_http",
        "_presigner",
        "_region",
        "_secret_key",
    )

    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool = False,
        region: str = "us-east-1",
        public_endpoint: str = "",
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 60.0,
        max_connections: int = 10,
    ) -> None:
        self._bucket = bucket
        self._region = region
        self._access_key = access_key
        self._secret_key = secret_key
        clients = MinioClients.connect(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            public_endpoint=public_endpoint,
            connect_timeout_s=connect_timeout_s,
            read_timeout_s=read_timeout_s,
            max_connections=max_connections,
        )
        self._client, self._presigner, self._http = clients.client, clients.presigner, clients.http

    @property
    def bucket(self) -> str:
        return self._bucket

    async def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist yet (safe when several processes race)."""
        with translated():
            if await asyncio.to_thread(self._client.bucket_exists, self._bucket):
                return
            try:
                await asyncio.to_thread(self._client.make_bucket, self._bucket, self._region)
            except S3Error as exc:
                if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                    raise

    async def bucket_exists(self) -> bool:
        with translated():
            return await asyncio.to_thread(self._client.bucket_exists, self._bucket)

    async def put(
        self,
        key: str,
        body: AsyncIterable[bytes],
        *,
        content_type: str,
        max_size: int | None = None,
    ) -> ObjectInfo:
        key = validate_key(key)
        content_type = validate_content_type(content_type)
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY_BYTES)  # noqa: SIM115
        try:
            size = await copy_limited(body, spool.write, max_size)
            await asyncio.to_thread(spool.seek, 0)
            await self._upload(key, cast("BinaryIO", spool), size, content_type)
        finally:
            spool.close()
        return ObjectInfo(key=key, size=size, content_type=content_type)

    async def get(self, key: str) -> bytes:
        key = validate_key(key)
        with translated(key):
            return await asyncio.to_thread(self._read, key)

    async def stream(self, key: str, *, chunk_size: int = 256 * 1024) -> AsyncIterator[bytes]:
        key = validate_key(key)
        with translated(key):
            response = await asyncio.to_thread(self._client.get_object, self._bucket, key)
        return _response_chunks(response, chunk_size)

    async def stat(self, key: str) -> ObjectInfo | None:
        key = validate_key(key)
        try:
            with translated(key):
                found = await asyncio.to_thread(self._client.stat_object, self._bucket, key)
        except ObjectNotFound:
            return None
        return ObjectInfo(
            key=key,
            size=found.size or 0,
            content_type=found.content_type or "application/octet-stream",
        )

    async def keys(self, prefix: str = "") -> AsyncIterator[str]:
        """S3's own listing (pages of 1,000, fetched in a thread a page at a time); names that
        are not valid keys were not stored through this port and are skipped."""
        validate_prefix(prefix)
        listing = self._client.list_objects(self._bucket, prefix=prefix or None, recursive=True)
        while True:
            with translated():
                page = await asyncio.to_thread(_next_page, listing)
            for item in page:
                name = item.object_name
                if name is not None and not item.is_dir and is_valid_key(name):
                    yield name
            if len(page) < _LIST_PAGE:
                return

    async def delete(self, key: str) -> None:
        key = validate_key(key)
        # S3 answers 204 for a missing key too, so this is idempotent without special-casing.
        with translated(key):
            await asyncio.to_thread(self._client.remove_object, self._bucket, key)

    async def presigned_get_url(self, key: str, *, expires_in: timedelta) -> str:
        return self._presigner.presigned_get_object(
            self._bucket, validate_key(key), expires=expires_in
        )

    async def presigned_put_url(
        self, key: str, *, content_type: str, size: int, expires_in: timedelta
    ) -> str:
        content_type = validate_content_type(content_type)
        if size < 0:
            raise ValueError("size must not be negative")
        # The client's own presigner builds the object's address (path or virtual-host style,
        # public endpoint); the signature is then made again with the headers bound.
        unsigned = self._presigner.presigned_put_object(
            self._bucket, validate_key(key), expires=expires_in
        )
        return presign_with_headers(
            unsigned,
            method="PUT",
            headers={"Content-Length": str(size), "Content-Type": content_type},
            region=self._region,
            access_key=self._access_key,
            secret_key=self._secret_key,
            now=datetime.now(UTC),
            expires_in=expires_in,
        )

    async def close(self) -> None:
        self._http.clear()

    def _read(self, key: str) -> bytes:
        response = self._client.get_object(self._bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    async def _upload(self, key: str, stream: BinaryIO, size: int, content_type: str) -> None:
        with translated(key):
            await asyncio.to_thread(
                self._client.put_object,
                self._bucket,
                key,
                stream,
                size,
                content_type=content_type,
            )


class MinioCheck:
    """Readiness: the service answers and the bucket exists."""

    name = "storage"

    def __init__(self, storage: MinioMediaStorage) -> None:
        self._storage = storage

    async def check(self) -> None:
        if not await self._storage.bucket_exists():
            raise RuntimeError(f"bucket {self._storage.bucket!r} does not exist")


def _next_page(listing: Iterator[Any]) -> list[Any]:
    return list(islice(listing, _LIST_PAGE))


async def _response_chunks(response: Any, size: int) -> AsyncIterator[bytes]:
    """Pull the HTTP body in a thread, a chunk at a time; the connection goes back to the pool
    however the reader stops."""
    try:
        while chunk := await asyncio.to_thread(response.read, size):
            yield chunk
    finally:
        response.close()
        response.release_conn()
