"""Benchmark of ``FfmpegVideoProcessor``: what one uploaded phone video costs a worker (the
rendition and poster frame, the poster's variants and storing them, as ``ProcessMedia`` does).

    uv run python benchmarks/video_processing.py            # a 10 s 1080p30 clip, 5 runs
    uv run python benchmarks/video_processing.py --runs 10 --threads 2

§10 sets no target for videos; this measures what capacity planning needs: seconds per video,
seconds of video per CPU-second (ffmpeg's and Python's together), and the peak memory of the
worker process and of ffmpeg. The clip is made here with the bundled ffmpeg: 1920x1080 at
30 fps, H.264 High at 16 Mb/s with stereo AAC at 48 kHz, as a phone records it; noise over the
test pattern makes the source really carry 16 Mb/s, so decoding it costs what decoding a phone's
file costs (CRF 23 then drops most of the noise: detailed real footage costs somewhat more to
encode). It is measured in a fresh process that has imported the whole
application, as a worker has; ffmpeg's peak RSS is that of the largest ffmpeg it started
(its ``VmHWM``, sampled; ``RUSAGE_CHILDREN`` is printed too but cannot tell it, see
``FfmpegPeaks``). Storage is the local-disk adapter of the embedded mode, which streams
as S3 does.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from imageio_ffmpeg import get_ffmpeg_exe

if TYPE_CHECKING:
    from social.adapters.media.images import PillowImageProcessor
    from social.adapters.media.video import FfmpegVideoProcessor
    from social.domain.media.ports import MediaStorage


def make_clip(path: Path, seconds: int) -> None:
    pattern = f"testsrc2=size=1920x1080:rate=30:duration={seconds},noise=alls=12:allf=t"
    sound = f"sine=frequency=440:sample_rate=48000:duration={seconds}"
    subprocess.run(  # noqa: S603 - the bundled ffmpeg, arguments of our own
        [get_ffmpeg_exe(), "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", pattern,
         "-f", "lavfi", "-i", sound, "-c:v", "libx264", "-preset", "veryfast", "-b:v", "16M",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-b:a", "192k", str(path)],
        check=True,
    )  # fmt: skip


def measure(path: Path, runs: int, threads: int, seconds: int) -> None:
    asyncio.run(_measure(path, runs, threads, seconds))


async def _measure(path: Path, runs: int, threads: int, seconds: int) -> None:
    import social.bootstrap.open  # noqa: F401 - a worker's code is in memory before its first video
    from social.adapters.media.images import PillowImageProcessor
    from social.adapters.media.video import FfmpegVideoProcessor
    from social.adapters.storage.local_disk import LocalDiskMediaStorage

    baseline = _rss_mb(resource.RUSAGE_SELF)
    images = PillowImageProcessor(max_threads=1)
    processor = FfmpegVideoProcessor(threads=threads)
    storage = LocalDiskMediaStorage(
        path.parent / "storage", base_url="http://localhost/media", signing_key=b"k" * 32
    )
    await storage.put("media/bench/original", _chunks(path), content_type="video/mp4")
    result = await _process(processor, images, storage)  # warm-up
    walls, python_cpus, ffmpeg_cpus = [], [], []
    sampler = FfmpegPeaks()  # created on the loop's thread, the one that starts ffmpeg
    sampler.start()
    for _ in range(runs):
        python_before, ffmpeg_before = _cpu_seconds()
        started = time.perf_counter()
        result = await _process(processor, images, storage)
        walls.append(time.perf_counter() - started)
        python_after, ffmpeg_after = _cpu_seconds()
        python_cpus.append(python_after - python_before)
        ffmpeg_cpus.append(ffmpeg_after - ffmpeg_before)
    ffmpeg_peak = sampler.stop()
    images.close()
    stored = await storage.stat("media/bench/video.mp4")
    assert stored is not None
    original = await storage.stat("media/bench/original")
    assert original is not None
    mean, python_cpu = statistics.fmean(walls), statistics.fmean(python_cpus)
    ffmpeg_cpu = statistics.fmean(ffmpeg_cpus)
    cpu = python_cpu + ffmpeg_cpu
    print(f"input: {seconds} s 1920x1080 30 fps H.264 + AAC, {original.size / 1e6:.1f} MB")
    (width, height, duration_s), posters = result
    print(
        f"out: video {width}x{height} {duration_s:.2f} s "
        f"({stored.size / 1e6:.1f} MB), posters " + ", ".join(posters)
    )
    print(f"runs: {runs} after one warm-up, threads={threads}")
    print(
        f"seconds per video: mean {mean:.2f}, median {statistics.median(walls):.2f}, "
        f"max {max(walls):.2f} -> {seconds / mean:.1f} s of video per second"
    )
    print(
        f"CPU seconds per video: {cpu:.2f} (ffmpeg {ffmpeg_cpu:.2f}, Python {python_cpu:.2f}) -> "
        f"{seconds / cpu:.2f} s of video per CPU-second; {cpu / mean:.2f} cores busy meanwhile"
    )
    print(
        f"peak RSS: Python process {_rss_mb(resource.RUSAGE_SELF):.0f} MB (before the first "
        f"video: {baseline:.0f} MB); ffmpeg {ffmpeg_peak:.0f} MB "
        f"(VmHWM); RUSAGE_CHILDREN says {_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )


async def _process(
    processor: FfmpegVideoProcessor, images: PillowImageProcessor, storage: MediaStorage
) -> tuple[tuple[int, int, float], list[str]]:
    """What ``ProcessMedia`` does with a video: the rendition and poster frame, the poster's
    variants, everything stored under the item's prefix. Its size, and its posters'."""
    from social.domain.media.model import POST_IMAGE_VARIANTS
    from social.domain.media.process_media import variant_key

    async with processor.process(await storage.stream("media/bench/original")) as video:
        poster = await images.process(video.poster, POST_IMAGE_VARIANTS)
        key = variant_key("media/bench", "video", video.content_type)
        await storage.put(key, video.rendition, content_type=video.content_type)
        size = (video.width, video.height, video.duration_s)
    for encoded in poster.variants:
        key = variant_key("media/bench", encoded.name, encoded.content_type)
        await storage.put(key, encoded.data, content_type=encoded.content_type)
    return size, [f"{e.name} {e.width}x{e.height}" for e in poster.variants]


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(1024 * 1024):
            yield chunk


class FfmpegPeaks(threading.Thread):
    """Each ffmpeg child's own high-water mark, read every 50 ms from a thread: ``RUSAGE_CHILDREN``
    cannot tell it, as the kernel carries the forked Python's resident size into the child's
    ``maxrss`` (a ``/bin/true`` spawned from a 520 MB process reports 520 MB). The mark only
    grows, so the last reading before ffmpeg exits is at most 50 ms short of its peak. Only
    process ids above ours are read (children come later): a few hundredths of a CPU-second per
    video, counted in the Python process's CPU."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self._me = os.getpid()
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.05):
            for name in os.listdir("/proc"):
                if name.isdigit() and int(name) > self._me:
                    self.peak_kb = max(self.peak_kb, self._child_high_water_kb(name))

    def stop(self) -> float:
        """The peak seen, in MB."""
        self._done.set()
        self.join()
        return self.peak_kb / 1024

    def _child_high_water_kb(self, pid: str) -> int:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return 0
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() != str(self._me):
            return 0
        if not fields.get("Name", "").strip().startswith("ffmpeg"):
            return 0
        return int(fields.get("VmHWM", "0 kB").split()[0])


def _cpu_seconds() -> tuple[float, float]:
    """User and system seconds of this process, and of the ffmpeg processes it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="videos timed after one warm-up")
    parser.add_argument("--threads", type=int, default=1, help="FfmpegVideoProcessor threads")
    parser.add_argument("--seconds", type=int, default=10, help="length of the clip")
    arguments = parser.parse_args()
    print(f"== Video processing ({arguments.seconds} s 1080p30 clip)", flush=True)
    with tempfile.TemporaryDirectory(prefix="video-bench-") as folder:
        clip = Path(folder) / "clip.mp4"
        make_clip(clip, arguments.seconds)
        child = multiprocessing.get_context("spawn").Process(
            target=measure, args=(clip, arguments.runs, arguments.threads, arguments.seconds)
        )
        child.start()
        child.join()


if __name__ == "__main__":
    main()
