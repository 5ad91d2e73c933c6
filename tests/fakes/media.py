"""An image processor fake: honest about sizes, refuses anything not starting like an image."""

from __future__ import annotations

from collections.abc import Sequence

from social.domain.media.errors import MediaRejected
from social.domain.media.model import VariantSpec
from social.domain.media.ports import EncodedImage, ProcessedImage

__all__ = ["FakeImageProcessor"]

FAKE_IMAGE = b"FAKEIMG 800x600"


class FakeImageProcessor:
    """Accepts ``FAKEIMG <w>x<h>`` bytes; answers the sizes a real processor would."""

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
        return ProcessedImage(width=width, height=height, blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj",
                              variants=tuple(variants))  # fmt: skip
