"""The real Pillow image processor (POST-2): sniffing, bombs, metadata stripping, orientation,
sizes and blurhash. Every fixture is made here with Pillow: no binary file is committed."""

from __future__ import annotations

import asyncio
import io
import json
import struct
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Iterator
from pathlib import Path

import blurhash
import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageCms

from social.adapters.media.images import PillowImageProcessor
from social.domain.media.errors import MediaRejected
from social.domain.media.model import VariantSpec
from social.domain.media.ports import EncodedImage, ProcessedImage

POST_SPECS = (
    VariantSpec("thumb", 150, square=True),
    VariantSpec("small", 640),
    VariantSpec("large", 1080),
)
RED, BLUE = (220, 20, 20), (20, 20, 220)
SECRETS = (b"AcmeCam", b"GPSDatumSecret", b"secret comment", b"GPSxmpSecret", b"Exif\x00\x00")


@pytest.fixture(scope="module")
def processor() -> Iterator[PillowImageProcessor]:
    subject = PillowImageProcessor(max_threads=2)
    yield subject
    subject.close()


# --- fixtures ------------------------------------------------------------------------------------


def noisy(width: int, height: int) -> Image.Image:
    """Noise in every channel, so JPEG cannot compress it to nothing (a photo-like cost)."""
    bands = [Image.effect_noise((width, height), sigma) for sigma in (40, 60, 80)]
    return Image.merge("RGB", bands)


def halves(width: int, height: int, left: tuple[int, ...], right: tuple[int, ...]) -> Image.Image:
    mode = "RGBA" if len(left) == 4 else "RGB"
    image = Image.new(mode, (width, height), left)
    image.paste(right, (width // 2, 0, width, height))
    return image


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "AcmeCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 22.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 53.0, 1.25),
        ExifTags.GPS.GPSMapDatum: "GPSDatumSecret",
    }
    return exif


def encode(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def rotated_jpeg_with_gps() -> bytes:
    """Stored 400x200, red left and blue right, Orientation 6: upright it is 200x400, red on top."""
    return encode(
        halves(400, 200, RED, BLUE),
        "JPEG",
        quality=95,
        exif=gps_exif(orientation=6),
        comment=b"secret comment",
        xmp=b"<x:xmpmeta><rdf:Description GPSxmpSecret='1'/></x:xmpmeta>",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` black pixels, built row by row so neither the
    test nor Pillow's encoder ever holds the pixels: kilobytes that decode to width*height bytes."""
    compressor, row, parts = zlib.compressobj(9), b"\0" * (1 + (width + 7) // 8), []
    for _ in range(height):
        if chunk := compressor.compress(row):
            parts.append(chunk)
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", b"".join(parts))
        + png_chunk(b"IEND", b"")
    )


def webp_bomb(width: int, height: int) -> bytes:
    """An extended WebP header announcing a ``width`` x ``height`` canvas, and nothing else."""
    vp8x = b"\0\0\0\0" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def jpeg_markers(data: bytes) -> list[int]:
    """The markers before the first scan, where JPEG keeps every kind of metadata."""
    markers, position = [], 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return markers


def assert_metadata_free(variant: EncodedImage) -> None:
    assert variant.content_type == "image/jpeg"
    markers = jpeg_markers(variant.data)
    assert markers[0] == 0xE0 and markers[-1] == 0xDA  # JFIF header, then the image
    assert not {0xE1, 0xE2, 0xED, 0xFE} & set(markers)  # no EXIF/XMP, ICC, IPTC, comment
    assert not any(secret in variant.data for secret in SECRETS)
    with Image.open(io.BytesIO(variant.data)) as image:
        assert image.format == "JPEG"
        assert (image.width, image.height) == (variant.width, variant.height)
        assert not image.getexif()
        assert not {"exif", "icc_profile", "xmp", "comment", "photoshop"} & set(image.info)


def decoded(variant: EncodedImage) -> Image.Image:
    with Image.open(io.BytesIO(variant.data)) as image:
        return image.convert("RGB")


def pixel(image: Image.Image, x: int, y: int) -> tuple[int, ...]:
    """The pixel at ``(x, y)`` as a tuple: ``getpixel`` is typed for every mode, a decoded
    variant is RGB."""
    value = image.getpixel((x, y))
    assert isinstance(value, tuple), value
    return value


def close_to(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def sizes(result: ProcessedImage) -> dict[str, tuple[int, int]]:
    return {variant.name: (variant.width, variant.height) for variant in result.variants}


# --- what comes out ------------------------------------------------------------------------------


async def test_a_12_megapixel_photo_gets_every_post_variant(
    processor: PillowImageProcessor,
) -> None:
    data = encode(noisy(4000, 3000), "JPEG", quality=90, exif=gps_exif())
    result = await processor.process(data, POST_SPECS)
    assert (result.width, result.height) == (4000, 3000)
    assert sizes(result) == {"thumb": (150, 150), "small": (640, 480), "large": (1080, 810)}
    for variant in result.variants:
        assert_metadata_free(variant)


async def test_exif_orientation_is_applied_and_every_byte_of_metadata_dropped(
    processor: PillowImageProcessor,
) -> None:
    source = rotated_jpeg_with_gps()
    assert all(secret in source for secret in SECRETS)  # the fixture does carry them all
    result = await processor.process(source, POST_SPECS)
    assert (result.width, result.height) == (200, 400)  # portrait once upright
    assert sizes(result) == {"thumb": (150, 150), "small": (200, 400), "large": (200, 400)}
    upright = decoded(result.variants[2])
    assert close_to(pixel(upright, 100, 20), RED)  # the stored left side is now the top
    assert close_to(pixel(upright, 100, 380), BLUE)
    for variant in result.variants:
        assert_metadata_free(variant)


async def test_transparency_is_composited_onto_white(processor: PillowImageProcessor) -> None:
    data = encode(halves(300, 200, (255, 0, 0, 0), (*BLUE, 255)), "PNG")
    result = await processor.process(data, POST_SPECS)
    assert sizes(result) == {"thumb": (150, 150), "small": (300, 200), "large": (300, 200)}
    image = decoded(result.variants[2])
    assert close_to(pixel(image, 40, 100), (255, 255, 255), 8)
    assert close_to(pixel(image, 260, 100), BLUE)
    assert_metadata_free(result.variants[0])


async def test_a_webp_with_exif_and_gps_comes_out_clean(processor: PillowImageProcessor) -> None:
    data = encode(noisy(1600, 1200), "WEBP", quality=80, exif=gps_exif())
    result = await processor.process(data, POST_SPECS)
    assert (result.width, result.height) == (1600, 1200)
    assert sizes(result) == {"thumb": (150, 150), "small": (640, 480), "large": (1080, 810)}
    for variant in result.variants:
        assert_metadata_free(variant)


async def test_a_heic_is_decoded_upright_and_clean(processor: PillowImageProcessor) -> None:
    if not pillow_heif.libheif_info()["HEIF"]:
        pytest.skip("this libheif build has no HEVC encoder to make the fixture")
    pillow_heif.register_heif_opener()
    # As bytes, pillow-heif turns Orientation 6 into the HEIF rotation (irot) that libheif applies.
    exif = gps_exif(orientation=6).tobytes()
    data = encode(halves(400, 200, RED, BLUE), "HEIF", quality=90, exif=exif)
    result = await processor.process(data, POST_SPECS)
    assert (result.width, result.height) == (200, 400)
    assert close_to(pixel(decoded(result.variants[2]), 100, 20), RED)
    for variant in result.variants:
        assert_metadata_free(variant)
    without_heic = PillowImageProcessor(heic=False)
    with pytest.raises(MediaRejected, match="HEIC images are not supported"):
        await without_heic.process(data, POST_SPECS)
    without_heic.close()


async def test_small_sources_are_never_upscaled_and_squares_are_centred(
    processor: PillowImageProcessor,
) -> None:
    image = Image.new("RGB", (120, 90), BLUE)
    image.paste(RED, (30, 0, 90, 90))  # a red centre square between blue bands
    result = await processor.process(encode(image, "PNG"), POST_SPECS)
    assert sizes(result) == {"thumb": (90, 90), "small": (120, 90), "large": (120, 90)}
    thumb = decoded(result.variants[0])
    assert close_to(pixel(thumb, 45, 45), RED)
    assert close_to(pixel(thumb, 2, 45), BLUE)  # the blue bands are cropped to their edges


async def test_tall_and_wide_sources_keep_their_aspect(processor: PillowImageProcessor) -> None:
    result = await processor.process(encode(noisy(3000, 700), "JPEG"), POST_SPECS)
    assert sizes(result) == {"thumb": (150, 150), "small": (640, 149), "large": (1080, 252)}
    result = await processor.process(encode(noisy(500, 2000), "JPEG"), POST_SPECS)
    assert sizes(result) == {"thumb": (150, 150), "small": (500, 2000), "large": (500, 2000)}


async def test_an_animation_gives_its_first_frame(processor: PillowImageProcessor) -> None:
    frames = [Image.new("RGB", (64, 64), RED), Image.new("RGB", (64, 64), BLUE)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    result = await processor.process(data, [VariantSpec("small", 640)])
    assert close_to(pixel(decoded(result.variants[0]), 32, 32), RED)


async def test_cmyk_and_16_bit_grey_become_sensible_rgb(processor: PillowImageProcessor) -> None:
    cmyk = encode(Image.new("CMYK", (64, 64), (0, 255, 255, 0)), "JPEG", quality=95)
    red = pixel(decoded((await processor.process(cmyk, POST_SPECS)).variants[1]), 32, 32)
    assert red[0] > 200 and red[1] < 80 and red[2] < 80
    grey = encode(Image.new("I;16", (64, 64), 32_768), "PNG")
    mid = pixel(decoded((await processor.process(grey, POST_SPECS)).variants[1]), 32, 32)
    assert close_to(mid, (128, 128, 128), 8)  # scaled, not clipped to white


async def test_the_blurhash_is_valid_and_follows_the_upright_picture(
    processor: PillowImageProcessor,
) -> None:
    result = await processor.process(rotated_jpeg_with_gps(), POST_SPECS)
    assert len(result.blurhash) == 28  # 4 x 3 components
    assert blurhash.components(result.blurhash) == (4, 3)
    rows = blurhash.decode(result.blurhash, 4, 8)
    top, bottom = rows[0][2], rows[-1][2]
    assert top[0] > top[2] and bottom[2] > bottom[0]  # red above, blue below


async def test_processing_runs_off_the_event_loop(processor: PillowImageProcessor) -> None:
    data = encode(noisy(4000, 3000), "JPEG", quality=90)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.002)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await processor.process(data, POST_SPECS)
    ticker.cancel()
    assert ticks >= 5  # the loop kept turning while the photo was decoded and encoded


# --- what is refused -----------------------------------------------------------------------------


def refusals() -> list[tuple[str, bytes, str]]:
    gif = encode(Image.new("P", (8, 8)), "GIF")
    tiff = encode(Image.new("RGB", (8, 8)), "TIFF")
    bmp = encode(Image.new("RGB", (8, 8)), "BMP")
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
    truncated = encode(noisy(800, 600), "JPEG", quality=90)
    return [
        ("text named .jpg", b"Dear diary, this is not a photo.\n", "not an image we can read"),
        ("svg with a script", svg, "SVG images are not supported"),
        ("gif", gif, "GIF images are not supported"),
        ("tiff", tiff, "TIFF images are not supported"),
        ("bmp", bmp, "BMP images are not supported"),
        ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF documents are not"),
        ("mp4 video", mp4, "Videos are not supported"),
        ("empty", b"", "The file is empty"),
        ("jpeg magic, then garbage", b"\xff\xd8\xff\xe0" + b"garbage" * 20, "damaged"),
        ("truncated jpeg", truncated[: len(truncated) // 2], "damaged or incomplete"),
        ("truncated png", encode(noisy(300, 300), "PNG")[:5000], "damaged or incomplete"),
        ("100 MP png", png_bomb(10_000, 10_000), r"too large \(10000 x 10000 pixels\)"),
        ("a side over 20000", png_bomb(20_001, 1), "20,000 pixels a side"),
        ("webp canvas bomb", webp_bomb(16_000, 16_000), "WebP photos may have at most"),
    ]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    ("data", "reason"), [pytest.param(data, reason, id=name) for name, data, reason in refusals()]
)
async def test_bad_input_is_rejected_with_a_reason(
    processor: PillowImageProcessor, data: bytes, reason: str
) -> None:
    with pytest.raises(MediaRejected, match=reason) as caught:
        await processor.process(data, POST_SPECS)
    assert caught.value.code == "unsupported-media-type"
    assert "Traceback" not in caught.value.message and len(caught.value.message) < 200


async def test_the_memory_budget_sets_a_lower_limit_for_costly_formats() -> None:
    subject = PillowImageProcessor(memory_budget=18 * 1_000_000)  # 1 MP of WebP, 4.5 MP of JPEG
    assert subject.pixel_limit("WEBP") == 1_000_000 and subject.pixel_limit("JPEG") == 4_500_000
    with pytest.raises(MediaRejected, match="WebP photos may have at most 1 megapixels"):
        await subject.process(encode(noisy(1200, 1000), "WEBP"), POST_SPECS)
    result = await subject.process(encode(noisy(1200, 1000), "JPEG"), POST_SPECS)
    assert (result.width, result.height) == (1200, 1000)
    subject.close()


def test_a_decompression_bomb_is_refused_without_decoding_it() -> None:
    """A 20000 x 20000 PNG is 400 MB of pixels in Pillow. It runs in a fresh interpreter because
    peak RSS (``ru_maxrss``) only ever grows, and Pillow's pixel buffers are plain ``malloc``s
    that ``tracemalloc`` cannot see."""
    script = textwrap.dedent(
        """
        import asyncio, json, resource, time
        from social.adapters.media.images import PillowImageProcessor
        from social.domain.media.errors import MediaRejected
        from social.domain.media.model import VariantSpec
        from tests.integration.test_image_processing import png_bomb

        bomb = png_bomb(20_000, 20_000)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        processor = PillowImageProcessor()
        started = time.perf_counter()
        try:
            asyncio.run(processor.process(bomb, [VariantSpec("large", 1080)]))
            outcome = "processed"
        except MediaRejected as error:
            outcome = error.message
        print(json.dumps({
            "outcome": outcome,
            "seconds": time.perf_counter() - started,
            "bomb_bytes": len(bomb),
            "grown_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before,
        }))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    report = json.loads(run.stdout.strip().splitlines()[-1])
    # Pillow's own check (MAX_IMAGE_PIXELS, the second line) refuses it inside Image.open already.
    assert report["outcome"].startswith("This image is too large")
    assert report["bomb_bytes"] < 200_000
    assert report["seconds"] < 5.0  # refused from its header (ms); decoding takes far longer
    assert report["grown_kib"] * 1024 < 20_000 * 20_000 // 20  # under 20 MB grown, not 400 MB


def test_invalid_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="jpeg_quality"):
        PillowImageProcessor(jpeg_quality=0)
    with pytest.raises(ValueError, match="positive"):
        PillowImageProcessor(max_threads=0)
