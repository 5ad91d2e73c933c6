"""Real media files for tests, generated on the fly (nothing binary is committed)."""

from __future__ import annotations

import io
import subprocess
import zlib
from pathlib import Path

from PIL import Image

__all__ = ["jpeg", "jpeg_with_gps", "mp4", "png_bomb", "truncated_jpeg"]


def jpeg(size: tuple[int, int] = (1200, 900), color: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=85)
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (900, 600)) -> bytes:
    """A JPEG whose EXIF names the camera ("SpyCam") and carries GPS coordinates."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (6.0, 10.0, 30.0)  # GPSLatitudeRef, GPSLatitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def truncated_jpeg() -> bytes:
    whole = jpeg((1600, 1200))
    return whole[: len(whole) // 2]


def png_bomb(side: int = 20_000) -> bytes:
    """A tiny PNG declaring ``side`` by ``side`` pixels (1-bit, all zero): a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def mp4(directory: Path, seconds: float = 1.0, size: str = "320x240") -> bytes:
    """A short H.264/AAC MP4 with a location tag, made by the bundled ffmpeg."""
    import imageio_ffmpeg  # type: ignore[import-untyped, unused-ignore]

    target = directory / "clip.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration={seconds}:size={size}:rate=15",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-metadata",
            "location=+35.6895+139.6917/",
            "-shortest",
            str(target),
        ],
        check=True,
    )
    return target.read_bytes()
