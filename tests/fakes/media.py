"""An image processor fake: honest about sizes, refuses anything not starting like an image."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Sequence
from contextlib import asynccontextmanager

from social.domain.media.errors import MediaRejected
from social.domain.media.model import VariantSpec
from social.domain.media.ports import EncodedImage, ProcessedImage, ProcessedVideo

__all__ = ["FAKE_IMAGE", "FAKE_VIDEO", "FakeImageProcessor", "FakeVideoProcessor"]

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
