"""Telling image formats apart by their magic bytes, before any decoder sees the data.

Users upload screenshots of PDFs and files renamed to ``.jpg``; the answer says what the file
seems to be, and only the formats we decode ever reach a decoder.
"""

from __future__ import annotations

from typing import Final

from social.domain.media.errors import MediaRejected

__all__ = ["HEIF_BRANDS", "sniff_format", "webp_size"]

HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
)
_OTHER_SIGNATURES: Final = (
    (b"GIF8", "GIF images"),
    (b"II*\x00", "TIFF images"),
    (b"MM\x00*", "TIFF images"),
    (b"%PDF", "PDF documents"),
    (b"\x1aE\xdf\xa3", "Videos"),  # Matroska, WebM
    (b"\x00\x00\x01\x00", "Icons"),
)


def sniff_format(data: bytes, *, heic: bool = True) -> str:
    """The Pillow format name the magic bytes announce, or ``MediaRejected`` saying what the file
    seems to be: users upload screenshots of PDFs and files renamed to ``.jpg``."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if heic and data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "HEIF"
    accepted = "JPEG, PNG, WebP or HEIC" if heic else "JPEG, PNG or WebP"
    if not data:
        raise MediaRejected(f"The file is empty. Upload a photo in {accepted} format.")
    what = _describe(data)
    if what is None:
        raise MediaRejected(f"This file is not an image we can read. Upload a {accepted} photo.")
    raise MediaRejected(f"{what} are not supported. Upload a photo in {accepted} format.")


def _describe(data: bytes) -> str | None:
    for magic, what in _OTHER_SIGNATURES:
        if data.startswith(magic):
            return what
    if data[:2] == b"BM" and data[6:10] == b"\0\0\0\0":
        return "BMP images"
    if data[4:8] == b"ftyp":  # ISO media: HEIF and AVIF stills, MP4 and QuickTime videos
        brand = data[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF images"
        return "HEIC images" if brand in HEIF_BRANDS else "Videos"
    if data[:4] == b"RIFF" and data[8:12] == b"AVI ":
        return "Videos"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in head:
        return "SVG images"
    return None


def webp_size(data: bytes) -> tuple[int, int] | None:
    """The canvas size from the first chunk's header (the three WebP flavours store it apart)."""
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = int.from_bytes(data[26:28], "little"), int.from_bytes(data[28:30], "little")
        return width & 0x3FFF, height & 0x3FFF
    return None
