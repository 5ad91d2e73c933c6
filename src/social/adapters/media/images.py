"""Pillow implementation of the ``ImageProcessor`` port (POST-2): untrusted bytes in, sized
JPEG variants free of every byte of metadata out.

The order of the steps is the security model: the type is sniffed from the magic bytes (never the
name), the header's dimensions are checked before one pixel is decoded, and only then are pixels
decoded — JPEGs at a reduced DCT scale when the variants are much smaller than the source, other
formats reduced strip by strip, so memory stays near the size of the decoded source (§10: a
worker under 512 MB on any input) and a 12 MP photo costs a fraction of a second.
"""

from __future__ import annotations

import asyncio
import io
import math
import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from typing import Final

import blurhash
import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageOps

from social.adapters.media.formats import sniff_format, webp_size
from social.adapters.media.memory import MemoryBudget, map_large_buffers_apart
from social.domain.media.errors import MediaRejected
from social.domain.media.model import VariantSpec
from social.domain.media.ports import EncodedImage, ProcessedImage

__all__ = ["MAX_SIDE", "PillowImageProcessor"]

MAX_SIDE: Final = 20_000
"""Longest side accepted whatever the pixel count: past it an image is a strip, not a photo."""

_LANCZOS: Final = Image.Resampling.LANCZOS
_BLURHASH_SIDE: Final = 32
# Peak bytes one header pixel costs to decode, measured (docs/benchmarks.md) and rounded up:
# libjpeg's coefficient buffer of a progressive JPEG; PNG's decoded image (Pillow keeps RGB in 32
# bits) plus a strip; libwebp's canvases plus Pillow's copy; libheif's planes plus Pillow's copy.
_DECODE_BYTES_PER_PIXEL: Final = {"JPEG": 4, "PNG": 5, "WEBP": 18, "HEIF": 8}
_FORMAT_NAMES: Final = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC"}
_STRIP_ROWS: Final = 256
# EXIF Orientation → the transpose that makes the image upright, as ImageOps.exif_transpose does.
_ORIENTATION_TRANSPOSE: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class PillowImageProcessor:
    """Decodes, orients, resizes and re-encodes in a bounded thread pool: Pillow releases the GIL
    while it decodes, resamples and encodes, so ``max_threads`` is the number of cores it takes.

    ``memory_budget`` bounds what decoding may hold at once across those threads, estimated from
    the header's size and the format's measured cost per pixel: an image that does not fit beside
    the others waits its turn, and one that could never fit is refused as too large (so WebP, which
    costs the most to decode, has a lower limit than ``max_pixels``). The default keeps a worker
    (about 130 MB of code and connections) under §10's 512 MB. ``heic=False`` turns the libheif
    decoder off, should one of its advisories call for it."""

    def __init__(
        self,
        *,
        max_pixels: int = 50_000_000,
        max_threads: int = 2,
        jpeg_quality: int = 82,
        heic: bool = True,
        memory_budget: int = 288 * 2**20,
    ) -> None:
        if max_pixels < 1 or max_threads < 1 or memory_budget < 1:
            raise ValueError("max_pixels, max_threads and memory_budget must be positive")
        if not 1 <= jpeg_quality <= 95:
            raise ValueError("jpeg_quality must be within 1..95")
        self._max_pixels = max_pixels
        self._quality = jpeg_quality
        self._heic = heic
        self._budget = MemoryBudget(memory_budget)
        if heic:
            _register_heif()
        map_large_buffers_apart()
        # Pillow's own bomb check is the second line of defence: it refuses twice its limit.
        if Image.MAX_IMAGE_PIXELS is None or max_pixels < Image.MAX_IMAGE_PIXELS:
            Image.MAX_IMAGE_PIXELS = max_pixels
        self._pool = ThreadPoolExecutor(max_workers=max_threads, thread_name_prefix="images")

    async def process(self, data: bytes, specs: Sequence[VariantSpec]) -> ProcessedImage:
        specs = tuple(specs)
        if any(spec.width < 1 for spec in specs):
            raise ValueError("variant widths must be positive")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._process, data, specs)

    def recognizes(self, head: bytes) -> bool:
        try:
            sniff_format(head, heic=self._heic)
        except MediaRejected:
            return False
        return True

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def pixel_limit(self, kind: str) -> int:
        """The most pixels accepted for a format (a name ``sniff_format`` returns)."""
        return min(self._max_pixels, self._budget.limit // _DECODE_BYTES_PER_PIXEL[kind])

    def _process(self, data: bytes, specs: tuple[VariantSpec, ...]) -> ProcessedImage:
        kind = sniff_format(data, heic=self._heic)
        if kind == "WEBP":  # libwebp allocates its canvases as soon as Pillow opens the file
            self._check_size(kind, *(webp_size(data) or (0, 0)))
        try:
            source = Image.open(io.BytesIO(data), formats=(kind,))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise self._too_large(kind) from error
        except _DECODE_ERRORS as error:
            raise _damaged() from error
        with source:  # closing it frees the full-size pixels before the variants are encoded
            self._check_size(kind, *source.size)
            estimate = source.width * source.height * _DECODE_BYTES_PER_PIXEL[kind]
            with self._budget.reserve(estimate):
                image, size = self._decode(source, kind, specs)
        variants = tuple(self._encode(_variant(image, size, spec), spec.name) for spec in specs)
        return ProcessedImage(
            width=size[0], height=size[1], blurhash=_blurhash(image), variants=variants
        )

    def _decode(
        self, source: Image.Image, kind: str, specs: tuple[VariantSpec, ...]
    ) -> tuple[Image.Image, tuple[int, int]]:
        """The source upright, in sRGB, on white, at the smallest size every variant can be cut
        from, as a new image; and the source's upright size."""
        stored_size = source.size
        try:
            if kind == "JPEG":  # libjpeg decodes at 1/2, 1/4 or 1/8 scale: less time and memory
                source.draft(None, _plan(stored_size, _orientation(source), specs)[1])
            source.load()
            self._check_size(kind, *source.size)  # a HEIF's coded size may differ from its header
            orientation = _orientation(source)  # after load: a PNG may put eXIf after the pixels
            size, working = _plan(stored_size, orientation, specs)
            icc = source.info.get("icc_profile")
            image = _flatten_and_reduce(source, working, _srgb_transform(icc, source.mode))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise self._too_large(kind) from error
        except _DECODE_ERRORS as error:
            raise _damaged() from error
        if image.size != working:
            image = image.resize(working, _LANCZOS)
        if orientation in _ORIENTATION_TRANSPOSE:
            image = image.transpose(_ORIENTATION_TRANSPOSE[orientation])
        return image, size

    def _encode(self, image: Image.Image, name: str) -> EncodedImage:
        image.info = {}  # Pillow's JPEG writer falls back to info["comment"]: nothing may reach it
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=self._quality, optimize=True, progressive=True)
        return EncodedImage(
            name=name,
            width=image.width,
            height=image.height,
            content_type="image/jpeg",
            data=buffer.getvalue(),
        )

    def _check_size(self, kind: str, width: int, height: int) -> None:
        if width < 1 or height < 1:
            raise _damaged()
        if width > MAX_SIDE or height > MAX_SIDE or width * height > self.pixel_limit(kind):
            raise self._too_large(kind, f" ({width} x {height} pixels)")

    def _too_large(self, kind: str, detail: str = "") -> MediaRejected:
        return MediaRejected(
            f"This image is too large{detail}. {_FORMAT_NAMES[kind]} photos may have at most "
            f"{self.pixel_limit(kind) / 1_000_000:.3g} megapixels and {MAX_SIDE:,} pixels a side."
        )


_DECODE_ERRORS: Final = (OSError, SyntaxError, ValueError, EOFError, struct.error)


def _damaged() -> MediaRejected:
    return MediaRejected(
        "This image file is damaged or incomplete, so it cannot be read. "
        "Try exporting or uploading it again."
    )


def _register_heif() -> None:
    """Embedded thumbnails, depth and auxiliary images stay unread: variants come from the primary
    image only (a thumbnail may show something else), and less parsing is less attack surface."""
    pillow_heif.register_heif_opener(
        thumbnails=False, depth_images=False, aux_images=False, decode_threads=1
    )


def _orientation(image: Image.Image) -> int:
    """The EXIF Orientation, parsed from the raw block so that nothing is decoded to find it."""
    raw = image.info.get("exif")
    if not isinstance(raw, bytes) or not raw:
        return 1
    exif = Image.Exif()
    try:
        exif.load(raw)
        value = exif.get(ExifTags.Base.Orientation, 1)
    except _DECODE_ERRORS:  # a broken EXIF block is no reason to refuse the photo
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _plan(
    stored: tuple[int, int], orientation: int, specs: Sequence[VariantSpec]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The upright source size, and the stored-orientation size to reduce the source to: the
    smallest that every variant and the blurhash can be cut from without upscaling."""
    rotated = orientation >= 5
    width, height = (stored[1], stored[0]) if rotated else stored
    scale = Fraction(_BLURHASH_SIDE, max(width, height))
    for spec in specs:
        scale = max(scale, Fraction(spec.width, min(width, height) if spec.square else width))
    scale = min(scale, Fraction(1))
    working = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
    return (width, height), ((working[1], working[0]) if rotated else working)


def _srgb_transform(icc: object, mode: str) -> ImageCms.ImageCmsTransform | None:
    """Colours as the camera meant them: a Display P3 or Adobe RGB photo shown without its
    profile looks dull, and the profile itself is stripped with the rest of the metadata."""
    if not isinstance(icc, bytes) or mode not in ("RGB", "RGBA", "CMYK"):
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")  # one per call: nothing shared between threads
        return ImageCms.buildTransform(profile, srgb, "CMYK" if mode == "CMYK" else "RGB", "RGB")
    except (ImageCms.PyCMSError, *_DECODE_ERRORS):  # a broken profile: show the photo as sRGB
        return None


def _flatten_and_reduce(
    image: Image.Image, working: tuple[int, int], transform: ImageCms.ImageCmsTransform | None
) -> Image.Image:
    """A new RGB image at least ``working`` large, box-reduced by a whole factor strip by strip, so
    a big decoded source never gets a second full-size copy (RGBA to RGB, premultiplied alpha)."""
    factor = min(image.width // working[0], image.height // working[1])
    if factor < 2:
        rgb = _to_srgb(image, transform)
        return rgb.copy() if rgb is image else rgb
    rows = factor * max(1, _STRIP_ROWS // factor)  # a multiple: no box straddles two strips
    reduced = Image.new("RGB", (-(-image.width // factor), -(-image.height // factor)))
    for top in range(0, image.height, rows):
        strip = image.crop((0, top, image.width, min(top + rows, image.height)))
        reduced.paste(_to_srgb(strip, transform).reduce(factor), (0, top // factor))
    return reduced


def _to_srgb(image: Image.Image, transform: ImageCms.ImageCmsTransform | None) -> Image.Image:
    """RGB for JPEG, which has no alpha: transparency is composited onto white, what nearly
    every transparent PNG or WebP assumes; 16-bit grey is scaled rather than clipped."""
    if image.mode == "CMYK" and transform is not None:
        return ImageCms.applyTransform(image, transform) or image
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "RGBa", "LA", "La", "PA") or "transparency" in image.info:
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        image = Image.new("RGB", image.size, (255, 255, 255))
        image.paste(rgba, mask=rgba)
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if transform is not None and image.mode == "RGB":
        return ImageCms.applyTransform(image, transform) or image
    return image


def _variant(image: Image.Image, size: tuple[int, int], spec: VariantSpec) -> Image.Image:
    """``spec.width`` wide but never wider than the source; a square spec takes the centre."""
    width, height = size
    if spec.square:
        side = min(spec.width, width, height)
        return ImageOps.fit(image, (side, side), _LANCZOS)
    target_width = min(spec.width, width)
    target = (target_width, max(1, round(Fraction(height * target_width, width))))
    return image if image.size == target else image.resize(target, _LANCZOS)


def _blurhash(image: Image.Image) -> str:
    """4 x 3 components from a copy at most 32 px on a side: more pixels would only cost time."""
    scale = Fraction(_BLURHASH_SIDE, max(image.size))
    if scale < 1:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.BOX)
    raw, stride = image.tobytes(), image.width * 3
    rows = [[raw[x : x + 3] for x in range(y, y + stride, 3)] for y in range(0, len(raw), stride)]
    return str(blurhash.encode(rows, components_x=4, components_y=3))
