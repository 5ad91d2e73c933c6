"""The rules an uploaded video must pass, each with the message its uploader reads: on ffmpeg's
description of the upload before a frame is decoded, and on the rendition once it is made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from social.adapters.media.video_probe import MediaStream, VideoProbe
from social.domain.media.errors import MediaRejected

__all__ = ["DAMAGED", "MAX_SIDE", "CheckedVideo", "checked_rendition", "checked_source"]

MAX_SIDE: Final = 8192
"""Longest side accepted: 8K video; past it a file is a decoder's stress test, not a clip."""

DAMAGED: Final = (
    "This video file is damaged or incomplete, so it cannot be played. "
    "Try exporting or uploading it again."
)
_SHORTFALL_S: Final = 0.5
"""How much shorter than its header says a rendition may come out before the file counts as
truncated (encoder delay and rounding, or a last frame lost in an interrupted recording)."""


@dataclass(frozen=True, slots=True)
class CheckedVideo:
    video: MediaStream
    audio: MediaStream | None
    duration_s: float


def checked_source(probe: VideoProbe | None, *, max_duration_s: float) -> CheckedVideo:
    """The streams to transcode, once the upload has a picture ffmpeg can decode, a sane size
    and an allowed length."""
    if probe is None:
        raise MediaRejected(DAMAGED)
    video = probe.video
    if video is None:
        if probe.audio is not None:
            raise MediaRejected("This file has sound but no picture. Upload a video.")
        raise MediaRejected("This file has no video in it. Upload an MP4 or MOV video.")
    if video.codec == "none":
        raise MediaRejected(
            "This video is in a format we cannot play. Export it as H.264 or HEVC "
            "(the usual MP4 or MOV settings) and upload it again."
        )
    if video.width < 1 or video.height < 1 or probe.duration_s is None:
        raise MediaRejected(DAMAGED)
    if video.width > MAX_SIDE or video.height > MAX_SIDE:
        raise MediaRejected(
            f"This video's picture is too large ({video.width} x {video.height} pixels); "
            f"videos may have at most {MAX_SIDE:,} pixels a side."
        )
    _check_duration(probe.duration_s, max_duration_s)
    return CheckedVideo(video, probe.audio, probe.duration_s)


def checked_rendition(
    output: VideoProbe | None, *, source_duration_s: float, max_duration_s: float
) -> CheckedVideo:
    """What came out against what the header announced: a file cut short still decodes up to
    its cut, and one whose header lies about its length was stopped past the limit."""
    if output is None or output.video is None or not output.duration_s:
        raise MediaRejected(DAMAGED)
    if output.duration_s < source_duration_s - max(_SHORTFALL_S, 0.05 * source_duration_s):
        raise MediaRejected(DAMAGED)
    _check_duration(output.duration_s, max_duration_s, slack_s=_SHORTFALL_S)
    return CheckedVideo(output.video, output.audio, output.duration_s)


def _check_duration(duration_s: float, max_duration_s: float, slack_s: float = 0.0) -> None:
    if duration_s - slack_s > max_duration_s:
        raise MediaRejected(
            f"This video is {_readable(duration_s)} long; videos may be at most "
            f"{_readable(max_duration_s)} long."
        )


def _readable(seconds: float) -> str:
    """``2.5 seconds``, ``3 minutes``, ``3 min 20 s``: how a person says a length."""
    if seconds < 60:
        value = f"{seconds:.1f}".removesuffix(".0")
        return f"{value} second{'' if value == '1' else 's'}"
    minutes, rest = divmod(round(seconds), 60)
    if rest:
        return f"{minutes} min {rest} s"
    return f"{minutes} minute{'' if minutes == 1 else 's'}"
