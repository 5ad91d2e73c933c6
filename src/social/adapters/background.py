"""Stopping a background reader task so that shutdown can never hang on it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

__all__ = ["stop_task"]

log = logging.getLogger(__name__)


async def stop_task(task: asyncio.Task[Any], *, timeout_s: float = 5.0) -> None:
    """Cancel ``task`` and wait for it, at most ``timeout_s``.

    On Python 3.11 a cancel that arrives as a library's own timeout fires (redis-py's
    ``get_message(timeout=…)`` reads under ``asyncio.timeout``) can be swallowed: the task runs
    on and an unbounded ``await task`` waits forever (a hung shutdown, seen in the test suite).
    So readers also loop on a stop flag their ``close`` sets first, and this wait is bounded."""
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=timeout_s)
    if not done:
        log.warning("a background task did not stop in time", extra={"task": task.get_name()})
        return
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("a background task ended with an error", exc_info=error)
