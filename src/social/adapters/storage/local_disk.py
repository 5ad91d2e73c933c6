"""Media bytes on the local disk, for the embedded mode (no S3 service to run).

Layout: key ``media/42/original`` lives in ``root/media/42/original@object`` with its content
type in ``root/media/42/original@meta.json``. Keys never contain ``@`` (see ``object_keys``), so no
key's files can collide with another key's folders (``a`` and ``a/b`` may coexist), and temp files
(``.original@object.<random>.tmp``) can never be mistaken for objects.

Writes are atomic (temp file, fsync, ``os.replace``): readers see the old bytes or the new ones,
and a failed or oversized upload leaves nothing behind. File I/O runs in worker threads so a slow
disk never stalls the event loop; streamed uploads are written in batches of about 1 MiB, so
memory stays bounded whatever the upload's size.

Presigned URLs point at ``media_files_router`` (``{base_url}/media-files/{key}``) and carry an
expiry and an HMAC-SHA256 signature over the method, key, expiry and, for PUT, the declared
content type and size (both also in the URL, so the route can tell a wrong type or length from
a forged URL, as S3 refuses a body that differs from a signed ``Content-Length``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import math
import os
import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode

from social.adapters.storage.object_keys import (
    is_valid_key,
    validate_content_type,
    validate_key,
    validate_prefix,
)
from social.adapters.storage.streaming import copy_limited, read_chunks
from social.domain.media.errors import InvalidObjectKey, ObjectNotFound, ObjectTooLarge
from social.domain.media.ports import ObjectInfo
from social.domain.shared.clock import Clock, SystemClock

__all__ = [
    "LocalDiskCheck",
    "LocalDiskMediaStorage",
]

_DATA_SUFFIX = "@object"
_META_SUFFIX = "@meta.json"
_DEFAULT_CONTENT_TYPE = "application/octet-stream"
_SIGNATURE_CONTEXT = "social.media-files.v1"
_MIN_SIGNING_KEY_BYTES = 32


class LocalDiskMediaStorage:
    """The ``MediaStorage`` port on a directory tree, with self-signed presigned URLs."""

    __slots__ = ("_base_url", "_clock", "_root", "_signing_key")

    def __init__(
        self,
        root: Path,
        *,
        base_url: str,
        signing_key: bytes,
        clock: Clock | None = None,
    ) -> None:
        if len(signing_key) < _MIN_SIGNING_KEY_BYTES:
            raise ValueError(f"signing_key must be at least {_MIN_SIGNING_KEY_BYTES} bytes")
        self._root = root.absolute()
        # Created up front so the readiness check is meaningful before the first upload.
        self._root.mkdir(parents=True, exist_ok=True)
        self._base_url = base_url.rstrip("/")
        self._signing_key = signing_key
        self._clock: Clock = clock or SystemClock()

    @property
    def root(self) -> Path:
        return self._root

    async def put(
        self,
        key: str,
        data: bytes | AsyncIterable[bytes],
        *,
        content_type: str,
        max_size: int | None = None,
    ) -> ObjectInfo:
        key = validate_key(key)
        content_type = validate_content_type(content_type)
        data_path, meta_path = self._paths(key)
        if (
            isinstance(data, bytes | bytearray | memoryview)
            and max_size is not None
            and len(data) > max_size
        ):
            raise ObjectTooLarge(max_size)
        pending = await asyncio.to_thread(_PendingFile, data_path)
        try:
            if isinstance(data, bytes | bytearray | memoryview):
                size = len(data)
                await asyncio.to_thread(pending.write, data)
            else:
                size = await copy_limited(data, pending.write, max_size)
            await asyncio.to_thread(_commit, pending, meta_path, content_type)
        except BaseException:
            # Synchronous on purpose: it must also run when the task is being cancelled.
            pending.discard()
            raise
        return ObjectInfo(key=key, size=size, content_type=content_type)

    async def get(self, key: str) -> bytes:
        data_path, _ = self._paths(validate_key(key))
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
        """Walks the folders a matching key can live in, one folder listing per thread hop;
        only ``…@object`` files whose names make valid keys count (never metadata, temp files
        or anything else found in the tree)."""
        folder, _, _ = validate_prefix(prefix).rpartition("/")
        pending = [folder]
        while pending:
            keys, folders = await asyncio.to_thread(self._list_folder, pending.pop())
            for key in keys:
                if key.startswith(prefix):
                    yield key
            pending.extend(f for f in reversed(folders) if f"{f}/".startswith(prefix))

    async def open(self, key: str) -> tuple[BinaryIO, ObjectInfo]:
        """An open handle on the object and its metadata, for streaming it out. Once open, a
        concurrent ``delete`` cannot pull the bytes away mid-response (POSIX keeps them)."""
        data_path, meta_path = self._paths(validate_key(key))
        try:
            handle = await asyncio.to_thread(data_path.open, "rb")
        except FileNotFoundError:
            raise ObjectNotFound(f"No object stored under {key!r}.") from None
        try:
            size = os.fstat(handle.fileno()).st_size
            content_type = await asyncio.to_thread(_read_content_type, meta_path)
        except BaseException:
            handle.close()
            raise
        return handle, ObjectInfo(key=key, size=size, content_type=content_type)

    async def delete(self, key: str) -> None:
        data_path, meta_path = self._paths(validate_key(key))
        await asyncio.to_thread(_remove, data_path, meta_path)

    async def presigned_get_url(self, key: str, *, expires_in: timedelta) -> str:
        return self._presign("GET", validate_key(key), expires_in, None, None)

    async def presigned_put_url(
        self, key: str, *, content_type: str, size: int, expires_in: timedelta
    ) -> str:
        if size < 0:
            raise ValueError("size must not be negative")
        return self._presign(
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
        try:
            validate_key(key)
        except InvalidObjectKey:
            return False
        if self._now() > expires:
            return False
        ct = content_type.strip() if content_type else None
        expected = self._sign(method.upper(), key, expires, ct, size)
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))

    def seconds_until(self, expires: int) -> int:
        """How long a URL expiring at ``expires`` (unix seconds) remains valid; at least 0."""
        return max(0, math.floor(expires - self._now()))

    async def close(self) -> None:
        """Nothing to release; present so every storage adapter shares one lifecycle."""

    def _paths(self, key: str) -> tuple[Path, Path]:
        *folders, name = key.split("/")
        folder = self._root.joinpath(*folders)
        return folder / f"{name}{_DATA_SUFFIX}", folder / f"{name}{_META_SUFFIX}"

    def _list_folder(self, folder: str) -> tuple[list[str], list[str]]:
        """The keys stored directly in ``folder`` (a key prefix without its trailing slash, or
        "" for the root) and the keys of its subfolders, each sorted."""
        path = self._root.joinpath(*folder.split("/")) if folder else self._root
        keys: list[str] = []
        folders: list[str] = []
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            return keys, folders
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found, name = folders, entry.name
            elif entry.name.endswith(_DATA_SUFFIX) and entry.is_file(follow_symlinks=False):
                found, name = keys, entry.name.removesuffix(_DATA_SUFFIX)
            else:
                continue
            child = f"{folder}/{name}" if folder else name
            if is_valid_key(child):  # no valid key is (or lives under) anything else
                found.append(child)
        return keys, folders

    def _stat(self, key: str) -> ObjectInfo | None:
        data_path, meta_path = self._paths(key)
        try:
            size = data_path.stat().st_size
        except FileNotFoundError:
            return None
        return ObjectInfo(key=key, size=size, content_type=_read_content_type(meta_path))

    def _now(self) -> float:
        return self._clock.now().timestamp()

    def _presign(
        self,
        method: str,
        key: str,
        expires_in: timedelta,
        content_type: str | None,
        size: int | None,
    ) -> str:
        seconds = expires_in.total_seconds()
        if seconds <= 0:
            raise ValueError("expires_in must be positive")
        expires = math.ceil(self._now() + seconds)
        params: dict[str, str | int] = {"expires": expires}
        if content_type is not None and size is not None:
            params |= {"size": size, "content_type": content_type}
        params["signature"] = self._sign(method, key, expires, content_type, size)
        return f"{self._base_url}/media-files/{key}?{urlencode(params)}"

    def _sign(
        self, method: str, key: str, expires: int, content_type: str | None, size: int | None
    ) -> str:
        # Newline-separated: keys and content types are validated to hold no newline. GET URLs
        # sign no size, so the ones issued before sizes were signed stay valid.
        fields = [_SIGNATURE_CONTEXT, method, key, str(expires), content_type or ""]
        if size is not None:
            fields.append(str(size))
        message = "\n".join(fields)
        digest = hmac.new(self._signing_key, message.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class LocalDiskCheck:
    """Readiness: the storage root exists and a file can actually be created in it."""

    name = "storage"

    def __init__(self, storage: LocalDiskMediaStorage) -> None:
        self._storage = storage

    async def check(self) -> None:
        await asyncio.to_thread(_probe_writable, self._storage.root)


class _PendingFile:
    """A temp file beside its target; ``commit`` makes it visible atomically."""

    __slots__ = ("_file", "_path", "_target")

    def __init__(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._path = Path(name)
        self._target = target

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._file.write(data)

    def commit(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._path, self._target)

    def discard(self) -> None:
        self._file.close()
        self._path.unlink(missing_ok=True)


def _commit(pending: _PendingFile, meta_path: Path, content_type: str) -> None:
    """Metadata first, then the bytes: an object is visible only once both are in place."""
    meta = _PendingFile(meta_path)
    try:
        meta.write(json.dumps({"content_type": content_type}).encode())
        meta.commit()
    except BaseException:
        meta.discard()
        raise
    pending.commit()


def _read_content_type(meta_path: Path) -> str:
    try:
        meta = json.loads(meta_path.read_bytes())
    except (OSError, ValueError):
        return _DEFAULT_CONTENT_TYPE
    content_type = meta.get("content_type") if isinstance(meta, dict) else None
    return content_type if isinstance(content_type, str) else _DEFAULT_CONTENT_TYPE


def _remove(data_path: Path, meta_path: Path) -> None:
    # Bytes first: once they are gone the object no longer exists, whatever happens next.
    data_path.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)


def _probe_writable(root: Path) -> None:
    if not root.is_dir():
        raise RuntimeError(f"storage root {root} is not a directory")
    with tempfile.NamedTemporaryFile(dir=root, prefix=".probe@", suffix=".tmp") as probe:
        probe.write(b"ok")
        probe.flush()
