"""The ffmpeg command lines of video processing, in one place so that each option's reason is
next to it and a test can read what ffmpeg is asked to do.

Every command reads its input with the MOV demuxer forced (the container was sniffed from its
bytes; ffmpeg must not guess another format from them) and may open local files only (an MP4
can reference external media, a playlist can name URLs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from social.adapters.media.video_probe import MediaStream

__all__ = ["poster_command", "probe_command", "transcode_command"]

_COMMON: Final = ("-hide_banner", "-nostdin", "-nostats", "-protocol_whitelist", "file")
_MAX_FPS: Final = 60
"""Slow-motion clips are stored at 120 or 240 frames per second: no phone shows more than 60."""
_MAX_AUDIO_RATE: Final = 48_000
"""AAC's usual ceiling: some cameras record 96 kHz, which players need not support."""


def probe_command(path: Path, *, threads: int) -> list[str]:
    """ffmpeg's report on the file (streams, duration, rotation) on stderr, and nothing decoded
    beyond the few frames it reads to learn the pixel format. It exits 1: no output is named."""
    return [*_COMMON, "-threads", str(threads), "-f", "mov", "-i", str(path)]


def transcode_command(
    source: Path,
    target: Path,
    *,
    video: MediaStream,
    audio: MediaStream | None,
    max_width: int,
    max_duration_s: float,
    threads: int,
) -> list[str]:
    """H.264 (High, yuv420p, CRF 23 capped at 8 Mb/s) and AAC in an MP4 with its index first,
    upright (ffmpeg applies the rotation by default), at most ``max_width`` wide with square
    pixels and even sides, without any metadata, chapter, subtitle or data track, and stopped a
    second past ``max_duration_s`` whatever the header said."""
    n = str(threads)
    width = f"max(2,2*trunc(min({max_width},iw*sar)/2))"
    height = "max(2,2*round(ow/dar/2))"
    maps = ["-map", f"0:{video.index}", *(["-map", f"0:{audio.index}"] if audio else [])]
    return [
        *_COMMON,
        *("-y", "-v", "error", "-threads", n, "-filter_threads", n),
        *("-f", "mov", "-i", str(source), *maps),
        # Global, per-stream and chapter metadata: GPS, creation time, device, owner.
        *("-map_metadata", "-1", "-map_metadata:s", "-1", "-map_chapters", "-1", "-sn", "-dn"),
        *("-vf", f"scale=w='{width}':h='{height}',setsar=1", "-fpsmax", str(_MAX_FPS)),
        *("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high"),
        *("-maxrate", "8M", "-bufsize", "16M", "-pix_fmt", "yuv420p", "-threads", n),
        *(_audio_options(audio) if audio else ()),
        *("-t", f"{max_duration_s + 1:g}", "-movflags", "+faststart", "-write_tmcd", "0"),
        *("-f", "mp4", str(target)),
    ]


def _audio_options(audio: MediaStream) -> tuple[str, ...]:
    """AAC at 128 kb/s in stereo: mono is doubled and surround mixed down, as phones play it."""
    rate = ("-ar", str(_MAX_AUDIO_RATE)) if audio.sample_rate > _MAX_AUDIO_RATE else ()
    return ("-c:a", "aac", "-b:a", "128k", "-ac", "2", *rate)


def poster_command(rendition: Path, target: Path, *, at_s: float, threads: int) -> list[str]:
    """One frame of our own rendition (already upright and at most ``max_width`` wide) as a
    lossless PNG: the ``ImageProcessor`` makes the JPEG variants, compressing only once."""
    return [
        *_COMMON,
        *("-y", "-v", "error", "-threads", str(threads), "-ss", f"{at_s:.3f}"),
        *("-f", "mov", "-i", str(rendition), "-map", "0:v:0", "-frames:v", "1"),
        *("-c:v", "png", "-f", "image2", "-update", "1", str(target)),
    ]
