"""Running ffmpeg on untrusted input without letting it hurt the worker that started it.

ffmpeg is a separate process, so a crash or a runaway allocation in a decoder costs that process,
never the worker: it runs in a process group of its own (so a timeout or a cancelled job kills it
and anything it started), at a lower CPU priority (the API and the job loop stay responsive), with
caps on its address space and CPU time, with a minimal environment (no ``FFREPORT`` log files, no
locale surprises), and its stderr is drained as it comes, keeping only bounded parts of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
import resource
import signal
import subprocess
from collections import deque
from dataclasses import dataclass
from typing import Final

__all__ = ["FfmpegResult", "FfmpegTimeout", "run_ffmpeg"]

_READ_SIZE: Final = 64 * 1024
_TAIL_BYTES: Final = 8 * 1024
_MAX_LINE: Final = 4 * 1024
"""ffmpeg prints metadata values 255 characters at a time: a longer line is not one we parse."""
_MAX_KEPT_LINES: Final = 512
_ENVIRONMENT: Final = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "LC_ALL": "C",
    "MALLOC_ARENA_MAX": "2",
}
"""Nothing of the worker's (no ``FFREPORT`` log files, no credentials). Two malloc arenas: glibc
reserves 64 MiB of address space per arena and ffmpeg runs a thread per stage, so without it the
address-space cap measured the reservations as much as the memory (8K HEVC: 1.25 GB → 1.07 GB
of address space needed for the same 0.9 GB resident)."""
_OUT_OF_MEMORY: Final = re.compile(
    r"Cannot allocate memory|malloc of size \d+ failed|bad_alloc"
    r"|error code: -11 \(Resource temporarily unavailable\)"
)
"""Allocation failures; and EAGAIN from ffmpeg's thread pool, which is how a thread whose stack
no longer fits under the address-space cap fails (``pthread_create``), depending on when the cap
is reached."""


@dataclass(frozen=True, slots=True)
class FfmpegResult:
    returncode: int
    lines: tuple[str, ...]
    """The stderr lines that matched ``keep``, in order (the first 512)."""
    tail: str
    """The last few KiB of stderr: what went wrong, for the logs."""
    all_lines_kept: bool = True
    """False when more lines matched than are kept: a report padded to push some out."""

    @property
    def out_of_memory(self) -> bool:
        return _OUT_OF_MEMORY.search(self.tail) is not None


class FfmpegTimeout(Exception):
    """ffmpeg did not finish in time and was killed."""


async def run_ffmpeg(
    executable: str,
    args: list[str],
    *,
    timeout_s: float,
    nice: int = 10,
    memory_limit: int | None = None,
    keep: re.Pattern[str] | None = None,
) -> FfmpegResult:
    """Run ``executable args`` to completion; kill its process group on timeout (raising
    ``FfmpegTimeout``) or when the awaiting task is cancelled."""
    process = await asyncio.create_subprocess_exec(
        executable,
        *args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=_ENVIRONMENT,
    )
    _lower_priority(process.pid, nice)
    _limit_memory(process.pid, memory_limit)
    _limit_cpu(process.pid, timeout_s)
    assert process.stderr is not None
    try:
        async with asyncio.timeout(max(timeout_s, 0.0)):
            lines, tail, all_kept = await _drain(process.stderr, keep)
            returncode = await process.wait()
    except BaseException as error:
        _kill_group(process.pid)
        while await process.stderr.read(_READ_SIZE):  # to its end, so the pipe can close
            pass
        await process.wait()
        if isinstance(error, TimeoutError):
            raise FfmpegTimeout(f"ffmpeg ran for more than {timeout_s:.0f} s") from error
        raise
    return FfmpegResult(returncode, tuple(lines), tail.decode("utf-8", "replace"), all_kept)


async def _drain(
    stream: asyncio.StreamReader, keep: re.Pattern[str] | None
) -> tuple[list[str], bytes, bool]:
    """Read stderr to its end, keeping the lines ``keep`` matches and a short tail: a damaged
    file can make ffmpeg print an error for every frame, and none of it may pile up here."""
    kept: list[str] = []
    matched = 0
    tail: deque[bytes] = deque()
    tail_size = 0
    pending = b""
    skipping = False  # inside an over-long line, dropped up to its end
    while chunk := await stream.read(_READ_SIZE):
        tail.append(chunk)
        tail_size += len(chunk)
        while tail_size - len(tail[0]) >= _TAIL_BYTES:
            tail_size -= len(tail.popleft())
        if keep is None:
            continue
        *complete, pending = (pending + chunk).split(b"\n")
        for raw in complete:
            if not skipping:
                matched += _keep_line(raw, keep, kept)
            skipping = False
        if len(pending) > _MAX_LINE:
            pending, skipping = b"", True
    if keep is not None and not skipping:
        matched += _keep_line(pending, keep, kept)
    return kept, b"".join(tail)[-_TAIL_BYTES:], matched == len(kept)


def _keep_line(raw: bytes, keep: re.Pattern[str], kept: list[str]) -> bool:
    """Whether the line matched; it is kept while fewer than 512 are."""
    line = raw.rstrip(b"\r").decode("utf-8", "replace")
    if not keep.search(line):
        return False
    if len(kept) < _MAX_KEPT_LINES:
        kept.append(line)
    return True


def _lower_priority(pid: int, nice: int) -> None:
    """``PRIO_PGRP`` reaches every thread of the group, even one started before this call; a
    worker already running nicer than ``nice`` keeps its own value (lowering it is not allowed)."""
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PGRP, pid, max(nice, os.getpriority(os.PRIO_PROCESS, 0)))


def _limit_memory(pid: int, limit: int | None) -> None:
    """Set from outside right after the start (a ``preexec_fn`` is unsafe in a threaded worker):
    ffmpeg is still parsing its arguments then, long before it decodes a frame."""
    if limit is None or not hasattr(resource, "prlimit"):
        return
    with contextlib.suppress(OSError, ValueError):
        resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))


def _limit_cpu(pid: int, timeout_s: float) -> None:
    """A ceiling on CPU time of the wall-clock timeout on every core: the timeout is enforced by
    the worker, and a worker killed outright (SIGKILL, OOM) leaves an ffmpeg that would run on;
    the kernel stops that orphan here instead."""
    if not hasattr(resource, "prlimit"):
        return
    seconds = math.ceil(max(timeout_s, 1.0) * (os.cpu_count() or 1)) + 5
    with contextlib.suppress(OSError, ValueError):
        resource.prlimit(pid, resource.RLIMIT_CPU, (seconds, seconds))


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
