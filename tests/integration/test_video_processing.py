"""The real ffmpeg video processor (POST-2): sniffing, probing, the H.264/AAC faststart rendition
free of metadata, rotation, the poster frame, refusals, limits and clean-up; and, through
``ProcessMedia`` with the real Pillow processor, the poster's variants and the stored keys. Every
fixture is made here with the same ffmpeg binary: no binary file is committed."""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from imageio_ffmpeg import get_ffmpeg_exe  # type: ignore[import-untyped, unused-ignore]
from PIL import Image

from social.adapters.media.images import PillowImageProcessor
from social.adapters.media.video import FfmpegVideoProcessor
from social.adapters.media.video_commands import poster_command, probe_command, transcode_command
from social.adapters.media.video_probe import PROBE_LINES, MediaStream, VideoProbe, parse_probe
from social.domain.media.errors import MediaRejected
from social.domain.media.model import MediaItem, MediaKind, MediaLimits, MediaPurpose, MediaStatus
from social.domain.media.process_media import ProcessMedia
from social.domain.shared.ids import new_id
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork
from tests.fakes.media import InMemoryMediaStorage

FFMPEG = str(get_ffmpeg_exe())
LATITUDE, LONGITUDE = b"+35.6895", b"+139.6917"
# An MP4 keeps the location as a 3GPP ``loci`` box of 16.16 fixed-point numbers; a MOV as text.
MP4_SECRETS = (b"loci", round(35.6895 * 65536).to_bytes(4, "big"), b"SecretTitle", b"SecretChapter",
               b"SecretSubtitle")  # fmt: skip
MOV_SECRETS = (LATITUDE, LONGITUDE, b"com.apple.quicktime", b"AcmePhone")
SECRETS = MP4_SECRETS + MOV_SECRETS
CREATED = "2024-05-01T10:00:00Z"
ORIGINAL, PREFIX = "media/v1/original", "media/v1"
RED, BLUE = (220, 20, 20), (20, 20, 220)
DAMAGED = "damaged or incomplete"


# --- fixtures, made with ffmpeg -----------------------------------------------------------------


def ffmpeg(*args: str | Path) -> None:
    subprocess.run([FFMPEG, "-hide_banner", "-v", "error", "-y", *map(str, args)], check=True)


def clip(size: str = "320x240", seconds: float = 2, rate: int = 25) -> list[str]:
    return ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]


def sine(seconds: float = 2) -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]


H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
GPS = ["-metadata", f"location={LATITUDE.decode()}{LONGITUDE.decode()}/"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("videos")
    made = {name: folder / name for name in ("sample.mp4", "location.mov", "rotated.mov")}
    (folder / "subs.srt").write_text("1\n00:00:00,000 --> 00:00:01,500\nSecretSubtitle\n")
    (folder / "chapters.txt").write_text(
        ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=SecretChapter\n"
    )
    # 2 s, 320x240, a sine, GPS and creation time (global and per stream), subtitles, chapters.
    ffmpeg(*clip(), *sine(), "-i", folder / "subs.srt", "-i", folder / "chapters.txt",
           "-map", "0:v", "-map", "1:a", "-map", "2:s", "-map_chapters", "3", *H264,
           "-c:a", "aac", "-c:s", "mov_text", *GPS, "-metadata", f"creation_time={CREATED}",
           "-metadata", "title=SecretTitle", "-metadata:s:v", f"creation_time={CREATED}",
           made["sample.mp4"])  # fmt: skip
    # What an iPhone writes: the QuickTime brand and Apple's ISO 6709 location key.
    ffmpeg(*clip(), *sine(), *H264, "-c:a", "aac", "-movflags", "use_metadata_tags",
           "-metadata", "com.apple.quicktime.location.ISO6709="
           f"{LATITUDE.decode()}{LONGITUDE.decode()}+040.000/",
           "-metadata", "com.apple.quicktime.make=AcmePhone",
           "-metadata", f"creation_time={CREATED}", "-f", "mov", made["location.mov"])  # fmt: skip
    # Stored 320x240, red left and blue right, with a display matrix turning it a quarter.
    halves = folder / "halves.mp4"
    ffmpeg("-f", "lavfi", "-i", f"color=c=0x{bytes(RED).hex()}:s=160x240:d=2", "-f", "lavfi",
           "-i", f"color=c=0x{bytes(BLUE).hex()}:s=160x240:d=2", "-filter_complex",
           "[0][1]hstack", *H264, halves)  # fmt: skip
    ffmpeg("-display_rotation:v:0", "90", "-i", halves, "-c", "copy", made["rotated.mov"])
    made["video-only.mp4"] = folder / "video-only.mp4"
    ffmpeg(*clip(), *H264, made["video-only.mp4"])
    made["faststart.mp4"] = folder / "faststart.mp4"
    ffmpeg("-i", made["sample.mp4"], "-c", "copy", "-movflags", "+faststart", made["faststart.mp4"])
    made["audio-only.mp4"] = folder / "audio-only.mp4"
    ffmpeg(*sine(), "-c:a", "aac", "-f", "mp4", "-brand", "isom", made["audio-only.mp4"])
    made["webm"] = folder / "clip.webm"
    ffmpeg(*clip(seconds=1), "-c:v", "libvpx", "-deadline", "realtime", made["webm"])
    made["cover.mp4"] = folder / "cover.mp4"
    Image.new("RGB", (64, 48), BLUE).save(folder / "cover.jpg")
    ffmpeg("-i", made["video-only.mp4"], "-i", folder / "cover.jpg", "-map", "0", "-map", "1",
           "-c", "copy", "-disposition:v:1", "attached_pic", made["cover.mp4"])  # fmt: skip
    made["slow.mp4"] = folder / "slow.mp4"
    ffmpeg(*clip("1280x720", seconds=4, rate=30), *H264, made["slow.mp4"])
    return made


@pytest.fixture(scope="module")
def images() -> Iterator[PillowImageProcessor]:
    processor = PillowImageProcessor(max_threads=1)
    yield processor
    processor.close()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def processor(workdir: Path) -> FfmpegVideoProcessor:
    return FfmpegVideoProcessor(workdir=workdir)


@dataclass(frozen=True)
class Made:
    """What ``process`` gave, read inside its context."""

    width: int
    height: int
    duration_s: float
    content_type: str
    video: bytes
    poster: bytes


async def chunks(data: bytes, size: int = 8192) -> AsyncIterator[bytes]:
    for at in range(0, len(data), size):
        yield data[at : at + size]


async def processed(processor: FfmpegVideoProcessor, data: bytes | AsyncIterable[bytes]) -> Made:
    source = chunks(data) if isinstance(data, bytes) else data
    async with processor.process(source) as video:
        body = b"".join([chunk async for chunk in video.rendition])
        return Made(
            video.width, video.height, video.duration_s, video.content_type, body, video.poster
        )


class Uploaded:
    """A video item waiting for processing, and ``ProcessMedia`` with the real processors."""

    def __init__(self, processor: FfmpegVideoProcessor, images: PillowImageProcessor) -> None:
        self.store, self.storage = AccountsStore(), InMemoryMediaStorage()
        self.process = ProcessMedia(
            uow=lambda: InMemoryUnitOfWork(self.store),
            storage=self.storage,
            images=images,
            videos=processor,
            limits=MediaLimits(),
        )

    async def run(self, data: bytes) -> MediaItem:
        item = MediaItem(
            new_id(),
            new_id(),
            MediaKind.VIDEO,
            MediaPurpose.POST,
            MediaStatus.PROCESSING,
            datetime.now(UTC),
            original_key=ORIGINAL,
            size_bytes=len(data),
        )
        self.store.media[item.id] = item
        self.storage.objects[ORIGINAL] = (data, "video/mp4")
        await self.process.execute(item.id)
        return self.store.media[item.id]


async def through_the_use_case(
    processor: FfmpegVideoProcessor, images: PillowImageProcessor, data: bytes
) -> tuple[MediaItem, InMemoryMediaStorage]:
    uploaded = Uploaded(processor, images)
    return await uploaded.run(data), uploaded.storage


# --- reading the results ------------------------------------------------------------------------


def report(data: bytes, tmp_path: Path) -> str:
    """ffmpeg's description of a file, and every global metadata key it holds."""
    path = tmp_path / "inspect.mp4"
    path.write_bytes(data)
    dump = subprocess.run([FFMPEG, "-hide_banner", "-i", path], capture_output=True, text=True)
    keys = subprocess.run(
        [FFMPEG, "-hide_banner", "-v", "error", "-i", path, "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return dump.stderr + keys.stdout


def top_level_boxes(data: bytes) -> list[bytes]:
    boxes, at = [], 0
    while at + 8 <= len(data):
        size, kind = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8]
        if size == 1:
            size = int.from_bytes(data[at + 8 : at + 16], "big")
        boxes.append(kind)
        at += size if size else len(data)
    return boxes


def assert_clean_streamable_mp4(data: bytes, tmp_path: Path, *, audio: bool = True) -> str:
    boxes = top_level_boxes(data)
    assert boxes[0] == b"ftyp" and boxes.index(b"moov") < boxes.index(b"mdat")  # faststart
    assert not any(secret in data for secret in SECRETS)
    description = report(data, tmp_path)
    assert "Video: h264 (High)" in description and "yuv420p" in description
    assert ("Audio: aac (LC)" in description) is audio
    assert ("stereo" in description) is audio  # mono sources are doubled
    assert description.count("Stream #0:") == (2 if audio else 1)  # no subtitles, no data
    for leak in ("location", "creation_time", "com.apple", "title", "make", "Chapter", "rotation"):
        assert leak.lower() not in description.lower(), leak
    return description


def assert_posters(storage: InMemoryMediaStorage, result: MediaItem) -> None:
    for variant in result.variants[1:]:
        data, content_type = storage.objects[variant.key]
        assert content_type == variant.content_type == "image/jpeg"
        assert data[:3] == b"\xff\xd8\xff" and b"Exif" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG" and not image.getexif()
            assert (image.width, image.height) == (variant.width, variant.height)


def sizes(result: MediaItem) -> dict[str, tuple[int, int]]:
    return {variant.name: (variant.width, variant.height) for variant in result.variants}


# --- what comes out -----------------------------------------------------------------------------


async def test_an_mp4_becomes_a_clean_h264_aac_rendition_and_a_poster_frame(
    processor: FfmpegVideoProcessor, files: dict[str, Path], tmp_path: Path, workdir: Path
) -> None:
    source = files["sample.mp4"].read_bytes()
    assert all(secret in source for secret in MP4_SECRETS)  # the fixture does carry them
    made = await processed(processor, source)
    assert (made.width, made.height) == (320, 240) and made.duration_s == pytest.approx(2, abs=0.1)
    assert made.content_type == "video/mp4"
    description = assert_clean_streamable_mp4(made.video, tmp_path)
    assert "320x240" in description and "Duration: 00:00:02.0" in description
    with Image.open(io.BytesIO(made.poster)) as poster:
        assert (poster.format, poster.size) == ("PNG", (320, 240))
    assert leftovers(workdir) == []  # the temporary folder is gone with the context


async def test_the_use_case_stores_the_rendition_and_the_posters_variants(
    processor: FfmpegVideoProcessor,
    images: PillowImageProcessor,
    files: dict[str, Path],
    tmp_path: Path,
    workdir: Path,
) -> None:
    result, storage = await through_the_use_case(
        processor, images, files["sample.mp4"].read_bytes()
    )
    assert result.status is MediaStatus.READY, result.error
    assert (result.width, result.height) == (320, 240)
    assert result.duration_s == pytest.approx(2, abs=0.1)
    assert sizes(result) == {
        "video": (320, 240),
        "thumb": (150, 150),
        "small": (320, 240),
        "large": (320, 240),
    }
    assert {v.name: v.key for v in result.variants} == {
        name: f"{PREFIX}/{name}.{'mp4' if name == 'video' else 'jpg'}"
        for name in ("video", "thumb", "small", "large")
    }
    assert set(storage.objects) == {v.key for v in result.variants}  # the original went
    video, content_type = storage.objects[f"{PREFIX}/video.mp4"]
    assert content_type == result.variants[0].content_type == "video/mp4"
    assert_clean_streamable_mp4(video, tmp_path)
    assert_posters(storage, result)
    assert result.size_bytes == sum(len(data) for data, _ in storage.objects.values())
    assert result.blurhash is not None and len(result.blurhash) == 28
    assert leftovers(workdir) == []


async def test_an_iphone_style_mov_loses_its_iso6709_location(
    processor: FfmpegVideoProcessor, files: dict[str, Path], tmp_path: Path
) -> None:
    source = files["location.mov"].read_bytes()
    assert source[8:12] == b"qt  " and b"com.apple.quicktime.location.ISO6709" in source
    assert all(secret in source for secret in MOV_SECRETS)
    made = await processed(processor, source)
    assert (made.width, made.height) == (320, 240)
    assert_clean_streamable_mp4(made.video, tmp_path)


async def test_a_rotated_mov_comes_out_upright_with_swapped_dimensions(
    processor: FfmpegVideoProcessor,
    images: PillowImageProcessor,
    files: dict[str, Path],
    tmp_path: Path,
) -> None:
    result, storage = await through_the_use_case(
        processor, images, files["rotated.mov"].read_bytes()
    )
    assert (result.width, result.height) == (240, 320)
    assert sizes(result) == {
        "video": (240, 320),
        "thumb": (150, 150),
        "small": (240, 320),
        "large": (240, 320),
    }
    description = assert_clean_streamable_mp4(
        storage.objects[f"{PREFIX}/video.mp4"][0], tmp_path, audio=False
    )
    assert "240x320" in description  # the pixels turned, and no display matrix is left
    with Image.open(io.BytesIO(storage.objects[f"{PREFIX}/large.jpg"][0])) as poster:
        upright = poster.convert("RGB")
    top, bottom = upright.getpixel((120, 20)), upright.getpixel((120, 300))
    assert close_to(top, BLUE) and close_to(bottom, RED)  # a quarter turn counter-clockwise


def close_to(actual: object, expected: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(actual, tuple)
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


async def test_a_video_without_sound_gets_a_video_only_rendition(
    processor: FfmpegVideoProcessor,
    images: PillowImageProcessor,
    files: dict[str, Path],
    tmp_path: Path,
) -> None:
    result, storage = await through_the_use_case(
        processor, images, files["video-only.mp4"].read_bytes()
    )
    assert (result.width, result.height) == (320, 240)
    assert_clean_streamable_mp4(storage.objects[f"{PREFIX}/video.mp4"][0], tmp_path, audio=False)
    assert_posters(storage, result)


async def test_a_cover_picture_is_neither_the_video_nor_kept(
    processor: FfmpegVideoProcessor, files: dict[str, Path], tmp_path: Path
) -> None:
    assert "(attached pic)" in report(files["cover.mp4"].read_bytes(), tmp_path)
    made = await processed(processor, files["cover.mp4"].read_bytes())
    assert (made.width, made.height) == (320, 240)
    assert_clean_streamable_mp4(made.video, tmp_path, audio=False)


async def test_large_videos_are_capped_at_max_width_with_even_sides(
    files: dict[str, Path], workdir: Path
) -> None:
    narrow = FfmpegVideoProcessor(workdir=workdir, max_width=301)
    made = await processed(narrow, files["slow.mp4"].read_bytes())
    assert (made.width, made.height) == (300, 168)  # 1280x720 → 300 wide, 168.75 → even
    with Image.open(io.BytesIO(made.poster)) as poster:
        assert poster.size == (300, 168)


async def test_processing_again_overwrites_the_same_keys(
    processor: FfmpegVideoProcessor, images: PillowImageProcessor, files: dict[str, Path]
) -> None:
    """A rerun after a crash (the item still processing, the original still there)."""
    uploaded = Uploaded(processor, images)
    first = await uploaded.run(files["sample.mp4"].read_bytes())
    keys = set(uploaded.storage.objects)
    second = await uploaded.run(files["sample.mp4"].read_bytes())
    assert replace(first, id=second.id, owner_id=second.owner_id, created_at=second.created_at) == (
        second
    )
    assert set(uploaded.storage.objects) == keys and len(keys) == 4


async def test_a_metadata_value_cannot_pass_for_a_stream_or_a_duration(
    processor: FfmpegVideoProcessor, files: dict[str, Path], tmp_path: Path
) -> None:
    forged = tmp_path / "forged.mp4"
    title = "x\n  Duration: 00:00:01.00\n  Stream #0:0: Video: h264, 9000x9000\nDuration: N/A"
    ffmpeg("-i", files["video-only.mp4"], "-c", "copy", "-metadata", f"title={title}", forged)
    made = await processed(processor, forged.read_bytes())
    assert (made.width, made.height) == (320, 240) and made.duration_s == pytest.approx(2, abs=0.1)


def with_metadata_keys(source: Path, target: Path, keys: list[str]) -> bytes:
    """A MOV with QuickTime ``mdta`` keys, which ffmpeg prints as they are, line breaks too."""
    tags = [arg for key in keys for arg in ("-metadata", f"{key}=v")]
    ffmpeg("-i", source, "-c", "copy", "-movflags", "use_metadata_tags", *tags, "-f", "mov", target)
    return target.read_bytes()


async def test_a_report_with_forged_lines_is_refused(
    processor: FfmpegVideoProcessor, files: dict[str, Path], tmp_path: Path
) -> None:
    forged = "x\n  Duration: 00:00:01.00, start: 0.0\n  Stream #0:0: Video: h264, 100x100\nz"
    data = with_metadata_keys(files["sample.mp4"], tmp_path / "forged.mov", [forged])
    with pytest.raises(MediaRejected, match=DAMAGED):
        await processed(processor, data)


async def test_a_report_padded_to_push_ffmpegs_own_lines_out_is_refused(
    processor: FfmpegVideoProcessor, files: dict[str, Path], tmp_path: Path
) -> None:
    forged = "a\n  Duration: 00:00:02.00, start: 0.0\n  Stream #0:0: Video: h264, 320x240\nb"
    keys = [forged] + [f"k{n}\n  Stream #0:{n + 10}: Data: none" for n in range(600)]
    data = with_metadata_keys(files["video-only.mp4"], tmp_path / "padded.mov", keys)
    with pytest.raises(MediaRejected, match=DAMAGED):
        await processed(processor, data)


async def test_recognizes_mp4_and_mov_from_their_first_bytes(
    processor: FfmpegVideoProcessor, files: dict[str, Path]
) -> None:
    for name in ("sample.mp4", "location.mov", "rotated.mov"):
        assert processor.recognizes(files[name].read_bytes()[:64]), name
    assert not processor.recognizes(files["webm"].read_bytes()[:64])
    assert not processor.recognizes(jpeg()[:64])
    assert not processor.recognizes(b"hello, world")
    assert not processor.recognizes(b"")


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), RED).save(buffer, "JPEG")
    return buffer.getvalue()


# --- what is refused ----------------------------------------------------------------------------


def cut_in_half(path: Path) -> bytes:
    data = path.read_bytes()
    return data[: len(data) // 2]


M4A = b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"


REFUSALS: dict[str, tuple[Callable[[dict[str, Path]], bytes], str]] = {
    "truncated, index last": (lambda f: cut_in_half(f["sample.mp4"]), DAMAGED),
    "truncated, index first": (lambda f: cut_in_half(f["faststart.mp4"]), DAMAGED),
    "header only": (lambda f: f["sample.mp4"].read_bytes()[:40], DAMAGED),
    "webm": (lambda f: f["webm"].read_bytes(), "WebM and Matroska videos are not supported"),
    "text named .mp4": (lambda f: b"just some notes\nin video.mp4\n", "text, not a video"),
    "jpeg": (lambda f: jpeg(), "This is a photo (JPEG), not a video"),
    "mp4 without picture": (lambda f: f["audio-only.mp4"].read_bytes(), "sound but no picture"),
    "m4a": (lambda f: M4A, "Audio files are not supported"),
    "heic": (lambda f: HEIC, "This is a photo (HEIC, AVIF or RAW)"),
    "avi": (lambda f: b"RIFF\0\0\0\0AVI LIST" + bytes(300), "AVI videos are not supported"),
    "empty": (lambda f: b"", "The file is empty"),
    "binary noise": (lambda f: b"\x13\x37\xc0\xde" * 1024, "not a video we can read"),
}


@pytest.mark.parametrize(("make", "reason"), list(REFUSALS.values()), ids=list(REFUSALS))
async def test_bad_inputs_are_rejected_with_a_reason(
    processor: FfmpegVideoProcessor,
    files: dict[str, Path],
    workdir: Path,
    make: Callable[[dict[str, Path]], bytes],
    reason: str,
) -> None:
    with pytest.raises(MediaRejected, match=re.escape(reason)):
        await processed(processor, make(files))
    assert leftovers(workdir) == []


async def test_a_rejected_video_fails_with_its_reason_and_leaves_nothing_stored(
    processor: FfmpegVideoProcessor, images: PillowImageProcessor, files: dict[str, Path]
) -> None:
    result, storage = await through_the_use_case(
        processor, images, cut_in_half(files["sample.mp4"])
    )
    assert result.status is MediaStatus.FAILED and DAMAGED in (result.error or "")
    assert (result.variants, result.size_bytes) == ((), 0)
    assert storage.objects == {}  # no rendition, no poster, and the original is gone


async def test_too_long_is_refused_with_both_lengths(files: dict[str, Path], workdir: Path) -> None:
    short = FfmpegVideoProcessor(workdir=workdir, max_duration_s=1.5)
    message = "is 2 seconds long; videos may be at most 1.5 seconds long."
    with pytest.raises(MediaRejected, match=re.escape(message)):
        await processed(short, files["sample.mp4"].read_bytes())
    assert leftovers(workdir) == []


async def test_too_large_is_refused_while_copying(files: dict[str, Path], workdir: Path) -> None:
    small = FfmpegVideoProcessor(workdir=workdir, max_bytes=50_000)
    data, pulled = files["slow.mp4"].read_bytes(), 0

    async def counted() -> AsyncIterator[bytes]:
        nonlocal pulled
        async for chunk in chunks(data):
            pulled += len(chunk)
            yield chunk

    with pytest.raises(MediaRejected, match="larger than the limit"):
        await processed(small, counted())
    assert pulled < 50_000 + 8192 < len(data)  # stopped at the limit
    assert leftovers(workdir) == []


async def test_a_video_taking_too_long_is_killed_and_refused(
    files: dict[str, Path], workdir: Path
) -> None:
    hasty = FfmpegVideoProcessor(workdir=workdir, timeout_s=0.1)
    with pytest.raises(MediaRejected, match="takes too long to process"):
        await processed(hasty, files["slow.mp4"].read_bytes())
    assert ffmpeg_children() == []
    assert leftovers(workdir) == []


async def test_running_out_of_memory_is_refused_as_too_large(
    files: dict[str, Path], workdir: Path
) -> None:
    frugal = FfmpegVideoProcessor(workdir=workdir, memory_limit=300 * 2**20)
    with pytest.raises(MediaRejected, match="needs more memory"):
        await processed(frugal, files["slow.mp4"].read_bytes())
    assert leftovers(workdir) == []


async def test_cancelling_kills_ffmpeg_and_cleans_up(files: dict[str, Path], workdir: Path) -> None:
    subject = FfmpegVideoProcessor(workdir=workdir, nice=7, memory_limit=2**31)
    task = asyncio.create_task(processed(subject, files["slow.mp4"].read_bytes()))
    for _ in range(500):
        if children := ffmpeg_children():
            break
        await asyncio.sleep(0.01)
    else:
        pytest.fail("ffmpeg never started")
    pid = children[0]
    for _ in range(100):  # the priority is set from outside right after the start: let it land
        if nice_of(pid) == 7:
            break
        await asyncio.sleep(0.001)
    assert nice_of(pid) == 7
    assert address_space_limit(pid) == 2**31
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert ffmpeg_children() == []
    assert leftovers(workdir) == []


def ffmpeg_children() -> list[int]:
    """Our ffmpeg processes, zombies included: a killed one must also have been reaped."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        if name.startswith("ffmpeg") and int(fields.split()[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def nice_of(pid: int) -> int:
    text = Path(f"/proc/{pid}/stat").read_text()
    return int(text[text.rindex(")") + 2 :].split()[16])


def leftovers(workdir: Path) -> list[Path]:
    return list(workdir.iterdir())


def address_space_limit(pid: int) -> int:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            return int(line.split()[3])
    raise AssertionError("no address space line")


# --- reading ffmpeg's report --------------------------------------------------------------------

OLDER_FFMPEG_REPORT = """\
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'IMG_0001.MOV':
  Metadata:
    com.apple.quicktime.location.ISO6709: +35.6895+139.6917+040.000/
  Duration: 00:00:12.51, start: 0.000000, bitrate: 9034 kb/s
  Stream #0:0[0x1](und): Video: hevc (Main 10) (hvc1 / 0x31637668), yuv420p10le(tv, \
bt2020nc/bt2020/arib-std-b67), 1920x1080, 8711 kb/s, 29.98 fps, 29.97 tbr, 600 tbn (default)
    Metadata:
      handler_name    : Core Media Video
    Side data:
      DOVI configuration record: version: 1.0, profile: 8, level: 4
      displaymatrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 175 kb/s
  Stream #0:2[0x3](und): Data: none (mebx / 0x7862656D), 0 kb/s (default)
  Stream #0:3[0x4](und): Audio: none (apac / 0x63617061), 48000 Hz, 4.0, 512 kb/s
"""


def test_reports_of_older_ffmpeg_versions_read_the_same() -> None:
    """ffmpeg 6 wrote ``displaymatrix``, 7 and later write ``Display Matrix``."""
    probe = parse_probe(
        line for line in OLDER_FFMPEG_REPORT.splitlines() if PROBE_LINES.match(line)
    )
    assert probe is not None and probe.duration_s == pytest.approx(12.51)
    assert probe.video is not None and probe.audio is not None
    assert (probe.video.index, probe.video.codec, probe.video.rotation) == (0, "hevc", -90)
    assert probe.video.display_size == (1080, 1920)  # held upright
    assert (probe.audio.index, probe.audio.sample_rate) == (1, 44100)
    assert [stream.kind for stream in probe.streams] == ["Video", "Audio", "Data", "Audio"]
    assert parse_probe(["Input #0, mov", "  Duration: N/A"]) == VideoProbe(None, ())
    assert parse_probe(["[in#0 @ 0x1] moov atom not found"]) is None


def test_every_command_reads_local_files_as_mov_only(tmp_path: Path) -> None:
    """An MP4 can reference external media and ffmpeg guesses formats from bytes: neither may
    reach past the file we sniffed."""
    stream = MediaStream(0, "Video", "h264", 320, 240)
    for command in (
        probe_command(tmp_path / "in", threads=1),
        transcode_command(
            tmp_path / "in",
            tmp_path / "out",
            video=stream,
            audio=None,
            max_width=1080,
            max_duration_s=180,
            threads=1,
        ),
        poster_command(tmp_path / "in", tmp_path / "out.png", at_s=1, threads=1),
    ):
        joined = " ".join(command)
        assert "-protocol_whitelist file" in joined and f"-f mov -i {tmp_path / 'in'}" in joined
