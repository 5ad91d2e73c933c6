"""One suite for the image-processor port: the fake used by unit tests and the Pillow adapter
answer the same sizes and refuse the same kinds of input."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest
from PIL import Image

from social.adapters.media.images import PillowImageProcessor
from social.domain.media.errors import MediaRejected
from social.domain.media.model import VariantSpec
from social.domain.media.ports import ImageProcessor
from tests.fakes.media import FakeImageProcessor

SPECS = (
    VariantSpec("thumb", 150, square=True),
    VariantSpec("small", 640),
    VariantSpec("large", 1080),
)


@dataclass
class Harness:
    processor: ImageProcessor
    image: Callable[[int, int], bytes]


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(params=["fake", "pillow"])
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    if request.param == "fake":
        yield Harness(FakeImageProcessor(), lambda w, h: f"FAKEIMG {w}x{h}".encode())
        return
    processor = PillowImageProcessor(max_pixels=50_000_000, max_threads=1)
    try:
        yield Harness(processor, _jpeg)
    finally:
        processor.close()


async def test_variants_follow_the_specs(harness: Harness) -> None:
    result = await harness.processor.process(harness.image(2000, 1500), SPECS)
    assert (result.width, result.height) == (2000, 1500)
    assert [(v.name, v.width, v.height, v.content_type) for v in result.variants] == [
        ("thumb", 150, 150, "image/jpeg"),
        ("small", 640, 480, "image/jpeg"),
        ("large", 1080, 810, "image/jpeg"),
    ]
    assert result.blurhash and all(v.data for v in result.variants)


async def test_small_sources_are_never_upscaled(harness: Harness) -> None:
    result = await harness.processor.process(harness.image(500, 300), SPECS)
    assert [(v.width, v.height) for v in result.variants] == [(150, 150), (500, 300), (500, 300)]


@pytest.mark.parametrize(
    "junk", [b"", b"hello, I am a text file", b"<svg><script>alert(1)</script></svg>", b"GIF89a..."]
)
async def test_junk_is_refused_with_a_reason(harness: Harness, junk: bytes) -> None:
    with pytest.raises(MediaRejected) as caught:
        await harness.processor.process(junk, SPECS)
    assert caught.value.message.endswith(".")
