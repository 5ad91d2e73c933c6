"""Fakes of the media ports (``domain/media``): the image and video processors, an honest
in-memory ``MediaStorage`` and the media repository of a fake unit of work.

The processors are honest about sizes and refuse anything not starting like their kind.
The storage has the same key rules, size limit and URL expiry as the real adapters, so unit tests
on it fail where production would. Its presigned URLs look like
``memory://<bucket>/<key>?expires=…&signature=…``; ``fetch`` and ``upload`` play the part of an
HTTP client following them (status codes as S3 would answer: an upload URL is signed for one
size and content type, and any other body is 403).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit
from uuid import UUID

from social.adapters.storage.object_keys import validate_content_type, validate_key
from social.domain.media.errors import (
    InvalidObjectKey,
    MediaRejected,
    ObjectNotFound,
    ObjectTooLarge,
)
from social.domain.media.model import MediaItem, VariantSpec
from social.domain.media.ports import EncodedImage, ObjectInfo, ProcessedImage, ProcessedVideo
from social.domain.shared.clock import Clock, SystemClock
from tests.fakes.events import forget_photos

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = [
    "FAKE_IMAGE",
    "FAKE_VIDEO",
    "FakeImageProcessor",
    "FakeVideoProcessor",
    "InMemoryMediaRepository",
    "InMemoryMediaStorage",
]

FAKE_IMAGE = b"FAKEIMG 800x600"
FAKE_VIDEO = b"FAKEVID 640x360 12.5s"


class FakeImageProcessor:
    """Accepts ``FAKEIMG <w>x<h>`` bytes; answers the sizes a real processor would."""

    def recognizes(self, head: bytes) -> bool:
        return head.startswith(b"FAKEIMG ")

    async def process(self, data: bytes, specs: Sequence[VariantSpec]) -> ProcessedImage:
        try:
            kind, size = data.decode().split(" ")
            width, height = (int(n) for n in size.split("x"))
        except ValueError:
            raise MediaRejected("This file is not a JPEG, PNG or WebP image.") from None
        if kind != "FAKEIMG":
            raise MediaRejected("This file is not a JPEG, PNG or WebP image.")
        variants = []
        for spec in specs:
            w = min(spec.width, min(width, height) if spec.square else width)
            h = w if spec.square else round(height * w / width)
            variants.append(
                EncodedImage(spec.name, w, h, "image/jpeg", f"{spec.name}:{w}x{h}".encode())
            )
        return ProcessedImage(
            width=width,
            height=height,
            blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj",
            variants=tuple(variants),
        )


class FakeVideoProcessor:
    """Accepts ``FAKEVID <w>x<h> <seconds>s`` uploads; a rendition naming its size and a poster
    frame of the same size that ``FakeImageProcessor`` takes."""

    def recognizes(self, head: bytes) -> bool:
        return head.startswith(b"FAKEVID ")

    @asynccontextmanager
    async def process(self, source: AsyncIterable[bytes]) -> AsyncIterator[ProcessedVideo]:
        data = b"".join([chunk async for chunk in source])
        try:
            kind, size, seconds = data.decode().split(" ")
            width, height = (int(n) for n in size.split("x"))
            duration = float(seconds.rstrip("s"))
        except ValueError:
            raise MediaRejected("This file is not an MP4 or MOV video.") from None
        if kind != "FAKEVID":
            raise MediaRejected("This file is not an MP4 or MOV video.")
        yield ProcessedVideo(
            width=width,
            height=height,
            duration_s=duration,
            content_type="video/mp4",
            rendition=_chunks(f"video:{width}x{height}".encode()),
            poster=f"FAKEIMG {width}x{height}".encode(),
        )


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


class InMemoryMediaStorage:
    def __init__(self, *, bucket: str = "media", clock: Clock | None = None) -> None:
        self.bucket = bucket
        self.objects: dict[str, tuple[bytes, str]] = {}
        self._clock: Clock = clock or SystemClock()
        self._secret = secrets.token_bytes(32)

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
        parts: list[bytes] = []
        size = 0
        async for chunk in body:
            size += len(chunk)
            if max_size is not None and size > max_size:
                raise ObjectTooLarge(max_size)  # stop pulling chunks, as the adapters do
            parts.append(bytes(chunk))
        data = b"".join(parts)
        self.objects[key] = (data, content_type)
        return ObjectInfo(key=key, size=len(data), content_type=content_type)

    async def get(self, key: str) -> bytes:
        try:
            return self.objects[validate_key(key)][0]
        except KeyError:
            raise ObjectNotFound(f"No object stored under {key!r}.") from None

    async def stream(self, key: str, *, chunk_size: int = 256 * 1024) -> AsyncIterator[bytes]:
        data = await self.get(key)

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(data), chunk_size):
                yield data[start : start + chunk_size]

        return chunks()

    async def stat(self, key: str) -> ObjectInfo | None:
        found = self.objects.get(validate_key(key))
        if found is None:
            return None
        return ObjectInfo(key=key, size=len(found[0]), content_type=found[1])

    async def keys(self, prefix: str = "") -> AsyncIterator[str]:
        if prefix:
            validate_key(f"{prefix}x")  # the adapters' rule: some valid key can start with it
        for key in [key for key in self.objects if key.startswith(prefix)]:
            yield key

    async def delete(self, key: str) -> None:
        self.objects.pop(validate_key(key), None)

    async def presigned_get_url(self, key: str, *, expires_in: timedelta) -> str:
        return self._presign("GET", validate_key(key), expires_in, "")

    async def presigned_put_url(
        self, key: str, *, content_type: str, size: int, expires_in: timedelta
    ) -> str:
        if size < 0:
            raise ValueError("size must not be negative")
        bound = f"{validate_content_type(content_type)}\n{size}"
        return self._presign("PUT", validate_key(key), expires_in, bound)

    async def fetch(self, url: str) -> tuple[int, bytes, dict[str, str]]:
        """GET a presigned URL: 200 with the bytes, 403 when refused, 404 when missing."""
        key = self._verified_key(url, "GET", "")
        if key is None:
            return 403, b"", {}
        found = self.objects.get(key)
        if found is None:
            return 404, b"", {}
        return 200, found[0], {"content-type": found[1], "content-length": str(len(found[0]))}

    async def upload(self, url: str, data: bytes, content_type: str) -> int:
        """PUT to a presigned URL: 200 when stored, 403 when refused (as S3 refuses a body
        whose length or type differs from the signed ``Content-Length`` and ``Content-Type``)."""
        key = self._verified_key(url, "PUT", f"{content_type.strip()}\n{len(data)}")
        if key is None:
            return 403
        self.objects[key] = (bytes(data), content_type.strip())
        return 200

    def _presign(self, method: str, key: str, expires_in: timedelta, content_type: str) -> str:
        if expires_in.total_seconds() <= 0:
            raise ValueError("expires_in must be positive")
        expires = math.ceil(self._clock.now().timestamp() + expires_in.total_seconds())
        signature = self._sign(method, key, expires, content_type)
        query = urlencode({"expires": expires, "signature": signature})
        return f"memory://{self.bucket}/{key}?{query}"

    def _verified_key(self, url: str, method: str, content_type: str) -> str | None:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        key = parts.path.removeprefix("/")
        try:
            validate_key(key)
            expires = int(query["expires"][0])
            signature = query["signature"][0]
        except (InvalidObjectKey, KeyError, ValueError):
            return None
        if parts.scheme != "memory" or parts.netloc != self.bucket:
            return None
        if self._clock.now().timestamp() > expires:
            return None
        expected = self._sign(method, key, expires, content_type)
        return key if hmac.compare_digest(expected.encode(), signature.encode()) else None

    def _sign(self, method: str, key: str, expires: int, content_type: str) -> str:
        message = f"{method}\n{key}\n{expires}\n{content_type}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class InMemoryMediaRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work
        self._media = work.media

    async def add(self, item: MediaItem) -> None:
        self._media[item.id] = item

    async def get(self, media_id: UUID) -> MediaItem | None:
        return self._media.get(media_id)

    async def get_many(self, media_ids: Iterable[UUID]) -> dict[UUID, MediaItem]:
        return {i: self._media[i] for i in media_ids if i in self._media}

    async def update(self, item: MediaItem) -> None:
        if item.id not in self._media:
            raise LookupError(item.id)
        self._media[item.id] = item

    async def delete(self, media_id: UUID) -> None:
        """Like the foreign keys: an avatar reference goes with its record (SET NULL), and a
        record a post still uses cannot go (NO ACTION)."""
        if any(media_id in post.media_ids for post in self._w.posts.values()):
            raise RuntimeError(f"media {media_id} is still in a post")
        self._media.pop(media_id, None)
        forget_photos(self._w, [media_id])  # ON DELETE CASCADE
        for user in list(self._w.users.values()):
            if user.avatar_media_id == media_id:
                self._w.users[user.id] = replace(user, avatar_media_id=None)

    async def unattached_before(self, cutoff: datetime, limit: int) -> list[MediaItem]:
        attached = {m for post in self._w.posts.values() for m in post.media_ids}
        attached |= set(self._w.event_photos)
        stale = [
            m
            for m in self._media.values()
            if m.purpose.value == "post" and m.created_at < cutoff and m.id not in attached
        ]
        return sorted(stale, key=lambda m: m.created_at)[:limit]

    async def album_photos(self, media_ids: Iterable[UUID]) -> set[UUID]:
        return {m for m in media_ids if m in self._w.event_photos}

    async def owned_by(self, owner_id: UUID) -> list[MediaItem]:
        return [m for m in self._media.values() if m.owner_id == owner_id]

    async def lock_stored_bytes(self, owner_id: UUID) -> int:
        """Unit tests run one use case at a time, so there is nothing to lock."""
        return sum(m.size_bytes for m in self._media.values() if m.owner_id == owner_id)
