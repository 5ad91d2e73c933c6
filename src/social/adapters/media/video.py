"""ffmpeg implementation of the ``VideoProcessor`` port (POST-2): an untrusted MP4/MOV upload in;
a streamable H.264/AAC MP4 free of metadata, a poster and the poster's image variants out.

The order of the steps is the security model, as for photos. The upload is copied in chunks to a
private temporary folder, refused as soon as it passes ``max_bytes`` or its first bytes are not
an MP4/MOV container. ffmpeg then describes it with the MOV demuxer forced (no format guessing)
and local files only (a file cannot make it open a URL); streams, duration and size are checked
before the transcode starts. The transcode keeps one video and one audio track, drops every
metadata, chapter, subtitle and data track (GPS lives in metadata and in timed-metadata tracks),
applies the rotation, caps the width, frame rate, bitrate and length, and puts the index first
(``faststart``) so players start at once. The poster is a frame of that rendition, so it is
already upright and small; the use case makes its variants with the ``ImageProcessor`` like any
photo's, and stores them and the rendition under keys of its choosing.

Python holds chunks only: ffmpeg runs in its own process (see ``ffmpeg.py``), the files stay on
disk until the caller has streamed the rendition to storage, and are removed when it is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator
from pathlib import Path
from typing import Final

from imageio_ffmpeg import get_ffmpeg_exe  # type: ignore[import-untyped, unused-ignore]

from social.adapters.media.ffmpeg import FfmpegResult, FfmpegTimeout, run_ffmpeg
from social.adapters.media.video_checks import (
    DAMAGED,
    CheckedVideo,
    checked_rendition,
    checked_source,
)
from social.adapters.media.video_commands import (
    poster_command,
    probe_command,
    transcode_command,
)
from social.adapters.media.video_probe import (
    PROBE_LINES,
    SNIFF_BYTES,
    VideoProbe,
    parse_probe,
    sniff_container,
)
from social.domain.media.errors import MediaRejected
from social.domain.media.ports import ProcessedVideo

__all__ = ["FfmpegVideoProcessor"]

log = logging.getLogger(__name__)

_CHUNK: Final = 1024 * 1024
_MIN_MEMORY_LIMIT: Final = 256 * 2**20


class FfmpegVideoProcessor:
    """One ffmpeg process at a time per ``process`` call. ``threads`` is what the decoder, the
    filters and the encoder each get; ffmpeg runs those stages side by side, so one video keeps
    about 1.6 cores busy even at ``threads=1`` (docs/benchmarks.md): size the job queue's video
    concurrency by that. ``timeout_s`` bounds the ffmpeg time of one video, ``memory_limit`` the
    address space of each ffmpeg process (``None`` lifts it; 8K HEVC needs about 1.3 GiB), and
    ``nice`` its CPU priority. ``workdir`` (default: the system's) needs twice ``max_bytes``."""

    def __init__(
        self,
        *,
        ffmpeg: str | None = None,
        max_duration_s: float = 180,
        max_bytes: int = 200 * 2**20,
        max_width: int = 1080,
        threads: int = 1,
        timeout_s: float = 600,
        workdir: Path | None = None,
        nice: int = 10,
        memory_limit: int | None = 2 * 2**30,
    ) -> None:
        if min(max_duration_s, max_bytes, max_width, threads, timeout_s) <= 0:
            raise ValueError("limits, threads and timeout must be positive")
        if not 0 <= nice <= 19:
            raise ValueError("nice must be within 0..19")
        if memory_limit is not None and memory_limit < _MIN_MEMORY_LIMIT:
            raise ValueError("ffmpeg does not even start with less than 256 MiB of address space")
        self._ffmpeg = ffmpeg or str(get_ffmpeg_exe())
        self._max_duration_s = float(max_duration_s)
        self._max_bytes = max_bytes
        self._max_width = max_width - max_width % 2 or 2
        self._threads = threads
        self._timeout_s = timeout_s
        self._workdir = workdir
        self._nice = nice
        self._memory_limit = memory_limit

    def recognizes(self, head: bytes) -> bool:
        try:
            sniff_container(head)
        except MediaRejected:
            return False
        return True

    @contextlib.asynccontextmanager
    async def process(self, source: AsyncIterable[bytes]) -> AsyncIterator[ProcessedVideo]:
        """The temporary folder goes when the context ends, however it ends (a rejection, a
        cancellation, the caller's own failure)."""
        folder = Path(tempfile.mkdtemp(prefix="social-video-", dir=self._workdir))
        try:
            original, rendition = folder / "original", folder / "video.mp4"
            await self._copy(source, original)
            deadline = asyncio.get_running_loop().time() + self._timeout_s  # ffmpeg's time only
            source_video = checked_source(
                await self._probe(original, deadline), max_duration_s=self._max_duration_s
            )
            await self._transcode(original, rendition, source_video, deadline)
            await asyncio.to_thread(original.unlink)  # half the disk space, at once
            output = checked_rendition(
                await self._probe(rendition, deadline),
                source_duration_s=source_video.duration_s,
                max_duration_s=self._max_duration_s,
            )
            poster = await self._poster(rendition, output, folder / "poster.png", deadline)
            width, height = output.video.display_size
            async with contextlib.aclosing(_file_chunks(rendition)) as chunks:
                yield ProcessedVideo(
                    width=width,
                    height=height,
                    duration_s=round(output.duration_s, 3),
                    content_type="video/mp4",
                    rendition=chunks,
                    poster=poster,
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    async def _copy(self, chunks: AsyncIterable[bytes], target: Path) -> None:
        """The upload to ``target`` chunk by chunk, sniffed from its first bytes and refused
        past ``max_bytes`` before the rest is pulled: neither needs the whole file."""
        head, size = b"", 0
        file = await asyncio.to_thread(target.open, "xb")
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > self._max_bytes:
                    raise MediaRejected(
                        f"This video is larger than the limit of {self._max_bytes / 2**20:g} MB."
                    )
                if len(head) < SNIFF_BYTES:
                    head += bytes(chunk[: SNIFF_BYTES - len(head)])
                    if len(head) == SNIFF_BYTES:
                        sniff_container(head)
                await asyncio.to_thread(file.write, chunk)
            if len(head) < SNIFF_BYTES:
                sniff_container(head)
        finally:
            file.close()
            if (close := getattr(chunks, "aclose", None)) is not None:
                await close()

    async def _probe(self, path: Path, deadline: float) -> VideoProbe | None:
        command = probe_command(path, threads=self._threads)
        result = await self._run(command, deadline, keep=True)
        # ffmpeg exits 1 here (no output was asked for): the report is what counts.
        return parse_probe(result.lines) if result.all_lines_kept else None

    async def _transcode(
        self, source: Path, target: Path, checked: CheckedVideo, deadline: float
    ) -> None:
        command = transcode_command(
            source,
            target,
            video=checked.video,
            audio=checked.audio,
            max_width=self._max_width,
            max_duration_s=self._max_duration_s,
            threads=self._threads,
        )
        result = await self._run(command, deadline)
        if result.returncode != 0 or not await asyncio.to_thread(_has_data, target):
            log.info("ffmpeg could not transcode a video: %s", result.tail[-2000:])
            raise MediaRejected(DAMAGED)

    async def _poster(
        self, rendition: Path, output: CheckedVideo, target: Path, deadline: float
    ) -> bytes:
        """A frame at 1 s, or at a tenth of a short clip, where the first frame is often black;
        the first frame when seeking finds none (a clip whose last frames are long gone)."""
        for at in (min(1.0, 0.1 * output.duration_s), 0.0):
            command = poster_command(rendition, target, at_s=at, threads=self._threads)
            result = await self._run(command, deadline)
            if result.returncode == 0 and await asyncio.to_thread(_has_data, target):
                return await asyncio.to_thread(target.read_bytes)
        raise MediaRejected(DAMAGED)

    async def _run(self, args: list[str], deadline: float, *, keep: bool = False) -> FfmpegResult:
        """ffmpeg within what is left of the video's time, with its limits: running out of time or
        memory is the video's fault (a pathological file), so it is rejected, not retried."""
        remaining = deadline - asyncio.get_running_loop().time()
        try:
            result = await run_ffmpeg(
                self._ffmpeg,
                args,
                timeout_s=remaining,
                nice=self._nice,
                memory_limit=self._memory_limit,
                keep=PROBE_LINES if keep else None,
            )
        except FfmpegTimeout as error:
            raise MediaRejected(
                "This video takes too long to process. Try a shorter or smaller video."
            ) from error
        if result.returncode < 0:  # a crash: a hostile file, or a memory_limit set too low
            log.warning("ffmpeg died of signal %d: %s", -result.returncode, result.tail[-2000:])
        if result.returncode != 0 and result.out_of_memory:
            log.info("ffmpeg ran out of memory: %s", result.tail[-2000:])
            raise MediaRejected(
                "This video needs more memory to process than we allow. Try a lower resolution."
            )
        return result


async def _file_chunks(path: Path) -> AsyncGenerator[bytes, None]:
    file = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(file.read, _CHUNK):
            yield chunk
    finally:
        file.close()


def _has_data(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0
