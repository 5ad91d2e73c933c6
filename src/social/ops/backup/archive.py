"""The archive file: a plain pax tar, so ``tar tvf`` lists it and any tar tool unpacks it.

Written member by member from async sources (a table's ``COPY`` output, a media object's chunks)
with ``TarInfo.tobuf`` headers and file writes in worker threads: memory stays bounded by one
write batch whatever the size of a video, and a member whose source delivers more or fewer bytes
than announced stops the backup instead of leaving a corrupt archive. The file is created as
``<name>.partial`` (mode 0600: it holds password hashes and encrypted emails) and renamed over
``<name>`` only once complete. Read with ``tarfile`` (also when gzipped as a whole).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import tarfile
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, BinaryIO

from social.adapters.storage.streaming import copy_limited, read_chunks
from social.domain.media.errors import ObjectTooLarge
from social.ops.backup.manifest import (
    MANIFEST_MEMBER,
    OBJECTS_PREFIX,
    BackupError,
    Manifest,
    TableDump,
    decode_manifest,
)

__all__ = ["CONTENT_TYPE_HEADER", "ArchiveReader", "ArchiveWriter", "created_archive"]

CONTENT_TYPE_HEADER = "SOCIAL.content_type"
"""The pax header keeping a media object's content type beside its bytes."""
READ_CHUNK_BYTES = 1024 * 1024
_MODE = 0o600


class ArchiveWriter:
    __slots__ = ("_file", "_mtime")

    def __init__(self, file: BinaryIO, *, mtime: float) -> None:
        self._file = file
        self._mtime = int(mtime)

    async def add(
        self,
        name: str,
        size: int,
        chunks: AsyncIterable[bytes],
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Append member ``name`` of exactly ``size`` bytes, read from ``chunks``."""
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, self._mtime, _MODE
        info.pax_headers = dict(headers or {})
        await self._write(info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape"))
        try:
            written = await copy_limited(chunks, self._file.write, size)
        except ObjectTooLarge:
            written = size + 1
        if written != size:
            raise BackupError(
                f"{name} changed while it was being copied (expected {size} bytes, got "
                f"{'more' if written > size else written}): run the backup again"
            )
        await self._write(tarfile.NUL * (-size % tarfile.BLOCKSIZE))

    async def add_bytes(self, name: str, data: bytes) -> None:
        async def whole() -> AsyncIterator[bytes]:
            yield data

        await self.add(name, len(data), whole())

    async def finish(self) -> None:
        """The end-of-archive marker: two zero blocks, padded to a whole tar record."""
        end = tarfile.NUL * (2 * tarfile.BLOCKSIZE)
        position = await asyncio.to_thread(self._file.tell) + len(end)
        await self._write(end + tarfile.NUL * (-position % tarfile.RECORDSIZE))

    async def _write(self, data: bytes | bytearray) -> None:
        if data:
            await asyncio.to_thread(self._file.write, data)


@asynccontextmanager
async def created_archive(path: Path, *, mtime: float) -> AsyncIterator[ArchiveWriter]:
    """A writer on ``path.partial``; on success the archive is synced and renamed to ``path``,
    on any failure the partial file is removed and ``path`` keeps what it had."""
    partial = path.with_name(f"{path.name}.partial")
    file = await asyncio.to_thread(_create_private, partial)
    try:
        writer = ArchiveWriter(file, mtime=mtime)
        yield writer
        await writer.finish()
        await asyncio.to_thread(_commit, file, partial, path)
    except BaseException:
        file.close()
        partial.unlink(missing_ok=True)
        raise


class ArchiveReader:
    """Random access to an archive through ``tarfile``; every header is read up front."""

    __slots__ = ("_members", "_tar", "manifest")

    def __init__(self, tar: tarfile.TarFile, manifest: Manifest) -> None:
        self._tar = tar
        self._members = {member.name: member for member in tar.getmembers()}
        self.manifest = manifest

    @classmethod
    async def open(cls, path: Path) -> ArchiveReader:
        return await asyncio.to_thread(cls._open, path)

    @classmethod
    def _open(cls, path: Path) -> ArchiveReader:
        try:
            tar = tarfile.open(path, "r:*")  # noqa: SIM115  # closed by close()
        except tarfile.TarError:
            raise BackupError(f"not a social backup: {path} is not a tar archive") from None
        try:
            try:
                member = tar.getmember(MANIFEST_MEMBER)  # reads every header
                with _extracted(tar, member) as handle:
                    manifest = decode_manifest(handle.read())
            except KeyError:
                raise BackupError(
                    f"{path} has no {MANIFEST_MEMBER}: not a social backup, or one that was"
                    " interrupted before it was complete"
                ) from None
            except (tarfile.TarError, EOFError, gzip.BadGzipFile) as exc:
                raise BackupError(f"{path} is damaged: {exc}") from None
            return cls(tar, manifest)
        except BaseException:
            tar.close()
            raise

    def objects(self) -> list[tarfile.TarInfo]:
        """The media members, in archive order."""
        return [m for m in self._members.values() if m.name.startswith(OBJECTS_PREFIX)]

    def missing_members(self) -> list[str]:
        return [t.member for t in self.manifest.tables if t.member not in self._members]

    def rows(self, table: TableDump) -> gzip.GzipFile:
        """The table's ``COPY`` data, decompressed as it is read (blocking reads)."""
        return gzip.GzipFile(fileobj=_extracted(self._tar, self._members[table.member]))

    async def chunks(self, member: tarfile.TarInfo) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(_extracted, self._tar, member)
        async for chunk in read_chunks(handle, READ_CHUNK_BYTES):
            yield chunk

    def close(self) -> None:
        self._tar.close()


def _extracted(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupError(f"archive member {member.name} is not a regular file")
    return handle


def _create_private(path: Path) -> BinaryIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _MODE)
    return os.fdopen(fd, "wb")


def _commit(file: BinaryIO, partial: Path, path: Path) -> None:
    file.flush()
    os.fsync(file.fileno())
    file.close()
    os.replace(partial, path)
