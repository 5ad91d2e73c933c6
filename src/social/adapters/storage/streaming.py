"""Streaming between file-like objects and async chunk iterators, blocking I/O in a thread:
copying an upload's chunks to a sink with the size limit enforced as they arrive, and reading a
file as chunks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import IO

from social.domain.media.errors import ObjectTooLarge

__all__ = ["copy_limited", "read_chunks"]

WRITE_BATCH_BYTES = 1024 * 1024


async def copy_limited(
    chunks: AsyncIterable[bytes],
    write: Callable[[bytes | bytearray], object],
    max_size: int | None,
) -> int:
    """Write ``chunks`` in ~1 MiB calls made in a thread (blocking I/O stays off the event
    loop); raise ``ObjectTooLarge`` as soon as more than ``max_size`` bytes have arrived."""
    size = 0
    batch = bytearray()
    async for chunk in chunks:
        size += len(chunk)
        if max_size is not None and size > max_size:
            raise ObjectTooLarge(max_size)
        batch += chunk
        if len(batch) >= WRITE_BATCH_BYTES:
            await asyncio.to_thread(write, batch)
            batch = bytearray()
    if batch:
        await asyncio.to_thread(write, batch)
    return size


async def read_chunks(handle: IO[bytes], size: int) -> AsyncIterator[bytes]:
    """Read in a thread, a chunk at a time; the handle closes however the reader stops."""
    try:
        while chunk := await asyncio.to_thread(handle.read, size):
            yield chunk
    finally:
        handle.close()
