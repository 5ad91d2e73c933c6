"""The media ports: where media bytes live (local disk or S3/MinIO), the image and video
processors, the media records and the transaction the media use cases work in."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from social.domain.media.model import MediaItem, VariantSpec
from social.domain.shared.ports import IdempotencyKeys, UnitOfWork

__all__ = [
    "EncodedImage",
    "ImageProcessor",
    "MediaRepository",
    "MediaStorage",
    "MediaUnitOfWork",
    "MediaUnitOfWorkFactory",
    "ObjectInfo",
    "ProcessedImage",
    "ProcessedVideo",
    "VideoProcessor",
    "as_body",
]


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str


class MediaStorage(Protocol):
    """Keys are relative slash-separated paths such as ``media/<id>/original``; adapters refuse
    keys that could escape their namespace (``..``, absolute paths, backslashes, NUL)."""

    async def put(
        self,
        key: str,
        body: AsyncIterable[bytes],
        *,
        content_type: str,
        max_size: int | None = None,
    ) -> ObjectInfo:
        """Store the object, streaming ``body``'s chunks without holding them all in memory;
        raises ``ObjectTooLarge`` (and stores nothing) once more than ``max_size`` bytes arrive,
        without reading the rest. One body shape: bytes already in hand go in ``as_body``."""
        ...

    async def get(self, key: str) -> bytes:
        """The whole object; raises ``ObjectNotFound`` when there is none."""
        ...

    async def stream(self, key: str, *, chunk_size: int = 256 * 1024) -> AsyncIterator[bytes]:
        """The object in chunks, for copying large ones (videos) without holding them whole;
        raises ``ObjectNotFound`` before the first chunk when there is none."""
        ...

    async def stat(self, key: str) -> ObjectInfo | None: ...

    def keys(self, prefix: str = "") -> AsyncIterator[str]:
        """Every stored object's key that starts with ``prefix`` (a plain string prefix, as S3
        lists them: ``media/1`` matches ``media/1/original`` and ``media/10/thumb``), each once,
        in no particular order, fetched lazily so millions of objects need little memory.
        Raises ``InvalidObjectKey`` (on the first iteration) for a prefix no valid key can
        start with; files or objects that were not stored through this port are skipped."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""
        ...

    async def presigned_get_url(self, key: str, *, expires_in: timedelta) -> str:
        """A URL anyone holding it may GET until it expires; tampering invalidates it."""
        ...

    async def presigned_put_url(
        self, key: str, *, content_type: str, size: int, expires_in: timedelta
    ) -> str:
        """A URL a client may PUT exactly ``size`` bytes of ``content_type`` to until it
        expires. The storage itself refuses (and stores nothing of) a body of another length
        or another ``Content-Type``: a declared upload cannot grow into a larger one."""
        ...


async def as_body(data: bytes) -> AsyncIterator[bytes]:
    """Bytes already in memory (an encoded variant) as the one-chunk body ``put`` takes."""
    yield data


@dataclass(frozen=True, slots=True)
class EncodedImage:
    """One variant, encoded and free of any metadata, ready to store."""

    name: str
    width: int
    height: int
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    width: int
    """Of the source, after applying its orientation."""
    height: int
    blurhash: str
    variants: tuple[EncodedImage, ...]


@dataclass(frozen=True, slots=True)
class ProcessedVideo:
    width: int
    """Of the rendition (the source's display size, capped)."""
    height: int
    duration_s: float
    content_type: str
    """Of the rendition (``video/mp4``)."""
    rendition: AsyncIterable[bytes]
    """The rendition's bytes in chunks, read once from where the processor made it (a video is
    never held whole in memory); readable until the ``process`` context ends."""
    poster: bytes
    """A frame of the rendition as an image, upright and at most its size: what the
    ``ImageProcessor`` makes the poster variants of."""


class VideoProcessor(Protocol):
    """Turns an uploaded video into a safe, streamable rendition and a poster frame, off the loop.
    Like the ``ImageProcessor`` it makes files and stores nothing: the use case names and stores
    them."""

    def recognizes(self, head: bytes) -> bool:
        """Whether the first bytes of a file look like a video this processor takes."""
        ...

    def process(self, source: AsyncIterable[bytes]) -> AbstractAsyncContextManager[ProcessedVideo]:
        """Read the upload from ``source`` (chunks), check it is an MP4/MOV video from its bytes,
        drop all metadata, transcode to H.264/AAC MP4 with faststart and extract a poster frame.
        Entering raises ``MediaRejected`` with a reason a user understands for anything else
        (not a video, damaged, too long, too large). What it made lives until the context ends:
        store it inside. The same source gives the same video."""
        ...


class ImageProcessor(Protocol):
    """Turns untrusted image bytes into safe variants, off the event loop."""

    def recognizes(self, head: bytes) -> bool:
        """Whether the first bytes of a file look like an image this processor takes."""
        ...

    async def process(self, data: bytes, specs: Sequence[VariantSpec]) -> ProcessedImage:
        """Detect the type from the bytes (JPEG, PNG, WebP; HEIC when a decoder is installed),
        apply the orientation, drop every byte of metadata (EXIF, GPS, XMP, ICC comments), and
        encode each variant. Raises ``MediaRejected`` with a reason a user understands for
        anything else: other or fake types, truncated files, decompression bombs."""
        ...


class MediaRepository(Protocol):
    async def add(self, item: MediaItem) -> None: ...

    async def get(self, media_id: UUID) -> MediaItem | None: ...

    async def get_many(self, media_ids: Iterable[UUID]) -> dict[UUID, MediaItem]: ...

    async def update(self, item: MediaItem) -> None: ...

    async def delete(self, media_id: UUID) -> None:
        """Remove the record (its objects are the caller's business); missing is fine."""
        ...

    async def owned_by(self, owner_id: UUID) -> list[MediaItem]: ...

    async def lock_stored_bytes(self, owner_id: UUID) -> int:
        """The bytes the owner's media counts against their quota (the sum of ``size_bytes``),
        with the owner's quota held until the transaction ends: two uploads checking the quota
        and adding an item one after the other can never both squeeze past it."""
        ...

    async def unattached_before(self, cutoff: datetime, limit: int) -> list[MediaItem]:
        """Post media never attached to a post and created before ``cutoff`` (garbage)."""
        ...

    async def album_photos(self, media_ids: Iterable[UUID]) -> set[UUID]:
        """Which of these media items are photos of an event album (a use a post may not
        share: the album's guests and password govern who sees them)."""
        ...


class MediaUnitOfWork(UnitOfWork, Protocol):
    """The transaction the media use cases work in."""

    @property
    def media(self) -> MediaRepository: ...

    @property
    def idempotency(self) -> IdempotencyKeys: ...


MediaUnitOfWorkFactory = Callable[[], MediaUnitOfWork]
