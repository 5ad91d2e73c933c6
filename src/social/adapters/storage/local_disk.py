"""Media bytes on the local disk, for the embedded mode (no S3 service to run).

Each key is two files under the root (``local_files``: the layout, atomic writes, listing).
Writes are atomic (temp file, fsync, ``os.replace``): readers see the old bytes or the new ones,
and a failed or oversized upload leaves nothing behind. File I/O runs in worker threads so a slow
disk never stalls the event loop; streamed uploads are written in batches of about 1 MiB, so
memory stays bounded whatever the upload's size.

Presigned URLs point at ``media_files_router`` (``{base_url}/media-files/{key}``), signed and
checked by ``local_signing``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterable, AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from social.adapters.storage.local_files import (
    PendingFile,
    commit_object,
    list_folder,
    object_paths,
    probe_writable,
    read_content_type,
    remove_object,
)
from social.adapters.storage.local_signing import UrlSigner
from social.adapters.storage.object_keys import (
    validate_content_type,
    validate_key,
    validate_prefix,
)
from social.adapters.storage.streaming import copy_limited, read_chunks
from social.domain.media.errors import ObjectNotFound
from social.domain.media.ports import ObjectInfo
from social.domain.shared.clock import Clock, SystemClock

__all__ = [
    "LocalDiskCheck",
    "LocalDiskMediaStorage",
]


class LocalDiskMediaStorage:
    """The ``MediaStorage`` port on a directory tree, with self-signed presigned URLs."""

    __slots__ = ("_root", "_signer")

    def __init__(
        self,
        root: Path,
        *,
        base_url: str,
        signing_key: bytes,
        clock: Clock | None = None,
    ) -> None:
        self._signer = UrlSigner(base_url, signing_key, clock or SystemClock())
        self._root = root.absolute()
        # Created up front so the readiness check is meaningful before the first upload.
        self._root.mkdir(parents=True, exist_ok=True)

    @property
    def root(self) -> Path:
        return self._root

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
        data_path, meta_path = object_paths(self._root, key)
        pending = await asyncio.to_thread(PendingFile, data_path)
        try:
            size = await copy_limited(body, pending.write, max_size)
            await asyncio.to_thread(commit_object, pending, meta_path, content_type)
        except BaseException:
            # Synchronous on purpose: it must also run when the task is being cancelled.
            pending.discard()
            raise
        return ObjectInfo(key=key, size=size, content_type=content_type)

    async def get(self, key: str) -> bytes:
        data_path, _ = object_paths(self._root, validate_key(key))
        try:
            return await asyncio.to_thread(data_path.read_bytes)
        except FileNotFoundError:
            raise ObjectNotFound(f"No object stored under {key!r}.") from None

    async def stream(self, key: str, *, chunk_size: int = 256 * 1024) -> AsyncIterator[bytes]:
        handle, _ = await self.open(key)
        return read_chunks(handle, chunk_size)

    async def stat(self, key: str) -> ObjectInfo | None:
        key = validate_key(key)
        return await asyncio.to_thread(self._stat, key)

    async def keys(self, prefix: str = "") -> AsyncIterator[str]:
        """Walks the folders a matching key can live in, one folder listing per thread hop."""
        folder, _, _ = validate_prefix(prefix).rpartition("/")
        pending = [folder]
        while pending:
            keys, folders = await asyncio.to_thread(list_folder, self._root, pending.pop())
            for key in keys:
                if key.startswith(prefix):
                    yield key
            pending.extend(f for f in reversed(folders) if f"{f}/".startswith(prefix))

    async def open(self, key: str) -> tuple[BinaryIO, ObjectInfo]:
        """An open handle on the object and its metadata, for streaming it out. Once open, a
        concurrent ``delete`` cannot pull the bytes away mid-response (POSIX keeps them)."""
        data_path, meta_path = object_paths(self._root, validate_key(key))
        try:
            handle = await asyncio.to_thread(data_path.open, "rb")
        except FileNotFoundError:
            raise ObjectNotFound(f"No object stored under {key!r}.") from None
        try:
            size = os.fstat(handle.fileno()).st_size
            content_type = await asyncio.to_thread(read_content_type, meta_path)
        except BaseException:
            handle.close()
            raise
        return handle, ObjectInfo(key=key, size=size, content_type=content_type)

    async def delete(self, key: str) -> None:
        data_path, meta_path = object_paths(self._root, validate_key(key))
        await asyncio.to_thread(remove_object, data_path, meta_path)

    async def presigned_get_url(self, key: str, *, expires_in: timedelta) -> str:
        return self._signer.url("GET", validate_key(key), expires_in, None, None)

    async def presigned_put_url(
        self, key: str, *, content_type: str, size: int, expires_in: timedelta
    ) -> str:
        if size < 0:
            raise ValueError("size must not be negative")
        return self._signer.url(
            "PUT", validate_key(key), expires_in, validate_content_type(content_type), size
        )

    def verify_signature(
        self,
        method: str,
        key: str,
        expires: int,
        signature: str,
        content_type: str | None = None,
        size: int | None = None,
    ) -> bool:
        """Whether a presigned URL's parameters are authentic and not yet expired."""
        return self._signer.verify(method, key, expires, signature, content_type, size)

    def seconds_until(self, expires: int) -> int:
        """How long a URL expiring at ``expires`` (unix seconds) remains valid; at least 0."""
        return self._signer.seconds_until(expires)

    async def close(self) -> None:
        """Nothing to release; present so every storage adapter shares one lifecycle."""

    def _stat(self, key: str) -> ObjectInfo | None:
        data_path, meta_path = object_paths(self._root, key)
        try:
            size = data_path.stat().st_size
        except FileNotFoundError:
            return None
        return ObjectInfo(key=key, size=size, content_type=read_content_type(meta_path))


class LocalDiskCheck:
    """Readiness: the storage root exists and a file can actually be created in it."""

    name = "storage"

    def __init__(self, storage: LocalDiskMediaStorage) -> None:
        self._storage = storage

    async def check(self) -> None:
        await asyncio.to_thread(probe_writable, self._storage.root)
