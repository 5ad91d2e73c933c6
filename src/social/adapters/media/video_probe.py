"""What a video file is, before anything decodes it: the container from its magic bytes, then its
streams, duration and rotation from ffmpeg's own description of it.

The bundled ffmpeg has no ffprobe, so the description is the report ``ffmpeg -i FILE`` prints on
stderr. That report also lists the file's metadata, which the uploader controls and which can
forge whole lines: ``parse_probe`` refuses a report holding anything twice that ffmpeg prints
once. Forged lines can then only name streams that do not exist (the transcode fails on them)
or a rotation (never read from an upload): the sizes and the duration that are stored come from
the report on the rendition, which has no metadata left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

from social.adapters.media.formats import HEIF_BRANDS, sniff_format
from social.domain.media.errors import MediaRejected

__all__ = [
    "MP4_BRANDS",
    "PROBE_LINES",
    "SNIFF_BYTES",
    "MediaStream",
    "VideoProbe",
    "parse_probe",
    "sniff_container",
]

SNIFF_BYTES: Final = 256
"""Enough for the ``ftyp`` box of any real file (its compatible brands included)."""

MP4_BRANDS: Final = frozenset(
    {
        *(b"iso" + bytes([digit]) for digit in b"m23456789"),
        *(b"mp41", b"mp42", b"mp71", b"avc1", b"qt  ", b"M4V ", b"M4VH", b"M4VP", b"dash"),
        *(b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gp9", b"3g2a", b"3g2b", b"3g2c", b"3ge6"),
        *(b"3ge7", b"3gg6", b"mmp4", b"MSNV", b"XAVC", b"f4v ", b"NDAS", b"CAEP", b"caqv"),
    }
)
"""Major or compatible ``ftyp`` brands of MP4, QuickTime and 3GPP videos (phones, cameras)."""

_QUICKTIME_ATOMS: Final = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
"""What a QuickTime file older than the ``ftyp`` box starts with."""
_AUDIO_BRANDS: Final = frozenset({b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "})
_IMAGE_BRANDS: Final = HEIF_BRANDS | {b"avif", b"avis", b"crx "}
_ACCEPTED: Final = "Upload an MP4 or MOV video."
_RIFF_KINDS: Final = {b"AVI ": "AVI videos", b"WAVE": "Audio files"}
_OTHER_SIGNATURES: Final = (
    (b"\x1aE\xdf\xa3", "WebM and Matroska videos"),
    (b"FLV\x01", "Flash videos"),
    (b"0&\xb2u\x8ef\xcf\x11", "Windows Media videos"),
    (b"OggS", "Ogg files"),
    (b"\x00\x00\x01\xba", "MPEG program streams"),
    (b"ID3", "Audio files"),
    (b"fLaC", "Audio files"),
    (b"GIF8", "GIF animations"),
    (b"%PDF", "PDF documents"),
    (b"PK\x03\x04", "ZIP archives"),
)

PROBE_LINES: Final = re.compile(
    r"^\s*(?:Input #0|Duration:|Stream #0:|Display ?Matrix:|displaymatrix:)", re.IGNORECASE
)
"""The lines of ffmpeg's report that ``parse_probe`` reads (for ``run_ffmpeg(keep=...)``)."""

_STREAM: Final = re.compile(
    r"^\s*Stream #0:(\d+)(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio|Subtitle|Data|Attachment)"
    r": ([\w-]+)(.*)$"
)
_SIZE: Final = re.compile(r",\s(\d{1,6})x(\d{1,6})\b")
_SAMPLE_RATE: Final = re.compile(r",\s(\d{1,7}) Hz\b")
_DURATION: Final = re.compile(r"^\s*Duration: (?:(\d+):(\d{2}):(\d{2}(?:\.\d+)?)|N/A)")
_ROTATION: Final = re.compile(
    r"^\s*(?:Display ?Matrix|displaymatrix): rotation of (-?\d+(?:\.\d+)?) degrees", re.I
)


def sniff_container(head: bytes) -> None:
    """Accept the first bytes of an MP4/MOV file, or raise ``MediaRejected`` saying what the
    file seems to be: the name and the declared content type are the uploader's word, not ours."""
    if not head:
        raise MediaRejected(f"The file is empty. {_ACCEPTED}")
    if head[4:8] == b"ftyp":
        _check_brands(head)
        return
    if head[4:8] in _QUICKTIME_ATOMS:
        return
    raise MediaRejected(_describe(head))


def _check_brands(head: bytes) -> None:
    major = head[8:12]
    if major in MP4_BRANDS:
        return
    if major in _IMAGE_BRANDS:
        raise MediaRejected(
            "This is a photo (HEIC, AVIF or RAW), not a video: upload it as a photo."
        )
    if major in _AUDIO_BRANDS:
        raise MediaRejected(f"Audio files are not supported. {_ACCEPTED}")
    box_end = min(int.from_bytes(head[:4], "big"), len(head))
    compatible = {head[at : at + 4] for at in range(16, box_end - 3, 4)}
    if compatible & MP4_BRANDS and not compatible & _IMAGE_BRANDS:
        return
    raise MediaRejected(f"This video format is not supported. {_ACCEPTED}")


def _describe(head: bytes) -> str:
    for magic, what in _OTHER_SIGNATURES:
        if head.startswith(magic):
            return f"{what} are not supported. {_ACCEPTED}"
    if head[:4] == b"RIFF" and head[8:12] in _RIFF_KINDS:
        return f"{_RIFF_KINDS[head[8:12]]} are not supported. {_ACCEPTED}"
    if head[0] == 0x47 and head[188:189] == b"\x47":  # sync bytes 188 apart
        return f"MPEG transport streams are not supported. {_ACCEPTED}"
    try:
        kind = sniff_format(head)
    except MediaRejected:
        pass
    else:
        return f"This is a photo ({kind}), not a video: upload it as a photo."
    if _looks_like_text(head):
        return f"This file is text, not a video. {_ACCEPTED}"
    return f"This file is not a video we can read. {_ACCEPTED}"


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head[:-3].decode("utf-8", "replace")  # a character cut at the end of the head
        if "\ufffd" in text:
            return False
    return all(char.isprintable() or char in "\t\r\n" for char in text)


@dataclass(frozen=True, slots=True)
class MediaStream:
    index: int
    """The stream's index in the file, for ``-map 0:<index>``."""
    kind: str
    """``Video``, ``Audio``, ``Subtitle``, ``Data`` or ``Attachment``, as ffmpeg says."""
    codec: str
    """ffmpeg's decoder name; ``none`` when it has no decoder for the stream."""
    width: int = 0
    height: int = 0
    rotation: float = 0.0
    """Degrees of the display matrix: a phone held upright stores landscape pixels and 90."""
    still: bool = False
    """A cover picture or thumbnail that ffmpeg lists as a video stream."""
    sample_rate: int = 0
    """Of a sound track, in Hz."""

    @property
    def display_size(self) -> tuple[int, int]:
        """The size shown once rotated: a quarter turn swaps the sides."""
        quarter_turns = round(self.rotation / 90)
        return (self.height, self.width) if quarter_turns % 2 else (self.width, self.height)


@dataclass(frozen=True, slots=True)
class VideoProbe:
    duration_s: float | None
    streams: tuple[MediaStream, ...]

    @property
    def video(self) -> MediaStream | None:
        """The first moving picture: what ``-map`` takes and what the user filmed."""
        return next((s for s in self.streams if s.kind == "Video" and not s.still), None)

    @property
    def audio(self) -> MediaStream | None:
        """The first sound track ffmpeg can decode (a track it cannot is left out, not fatal)."""
        return next((s for s in self.streams if s.kind == "Audio" and s.codec != "none"), None)


def parse_probe(lines: Iterable[str]) -> VideoProbe | None:
    """The input's duration and streams from ffmpeg's report (every line ``PROBE_LINES``
    matches), or ``None`` when ffmpeg could not open the file or the report was tampered with.

    ffmpeg prints metadata keys as they are, line breaks included, so a file can add lines of
    its choosing to the report, but never take ffmpeg's own away: a second input, a second
    duration or a stream index seen twice means that some lines are forged, and which ones
    cannot be told."""
    inputs = durations = 0
    duration: float | None = None
    streams: list[MediaStream] = []
    for line in lines:
        if line.startswith("Input #"):
            inputs += 1
        elif found := _DURATION.match(line):
            durations += 1
            hours, minutes, seconds = found.groups()
            if seconds is not None:
                duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        elif found := _STREAM.match(line):
            streams.append(_stream(found))
        elif (found := _ROTATION.match(line)) and streams:
            streams[-1] = replace(streams[-1], rotation=float(found.group(1)))
    indexes = {stream.index for stream in streams}
    if inputs != 1 or durations != 1 or len(indexes) != len(streams):
        return None
    return VideoProbe(duration, tuple(sorted(streams, key=lambda stream: stream.index)))


def _stream(found: re.Match[str]) -> MediaStream:
    index, kind, codec, rest = found.groups()
    size = _SIZE.search(rest) if kind == "Video" else None
    width, height = (int(size.group(1)), int(size.group(2))) if size else (0, 0)
    still = "(attached pic)" in rest or "(timed thumbnails)" in rest
    rate = _SAMPLE_RATE.search(rest) if kind == "Audio" else None
    sample_rate = int(rate.group(1)) if rate else 0
    return MediaStream(int(index), kind, codec, width, height, still=still, sample_rate=sample_rate)
