"""A zip archive written as a stream of chunks, never held whole (stdlib ``zipfile``).

``zipfile`` writes to a file object; here that object only collects what was written since the
last ``drain``, and is not seekable, so ``zipfile`` puts each entry's sizes and CRC in a data
descriptor after its bytes instead of going back to patch the header. What stays in memory is
the central directory (a few dozen bytes per entry) and the deflate window.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from typing import IO

__all__ = ["ZipStream"]


class _Sink:
    """A write-only, non-seekable file: what ``zipfile`` writes waits here to be drained."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


class ZipStream:
    """Entries are written one after another (``open`` one, write it, close it); ``drain``
    hands over the archive's bytes so far. Media (already compressed) is stored as is, text is
    deflated."""

    def __init__(self, timestamp: datetime) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, "w", allowZip64=True)
        self._date_time = (
            max(timestamp.year, 1980),
            timestamp.month,
            timestamp.day,
            timestamp.hour,
            timestamp.minute,
            timestamp.second,
        )

    def open(self, name: str, *, compress: bool, size: int | None = None) -> IO[bytes]:
        """A writable entry; ``size`` (when known) lets ``zipfile`` choose ZIP64 for a file
        over 2 GiB, an unknown size is taken to be smaller."""
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        if size is not None:
            info.file_size = size
        entry: IO[bytes] = self._zip.open(info, "w")
        return entry

    def drain(self) -> bytes:
        """What was written since the last call (possibly nothing)."""
        return self._sink.take()

    def close(self) -> bytes:
        """Finish the archive (the central directory); the last bytes to hand over."""
        self._zip.close()
        return self._sink.take()
