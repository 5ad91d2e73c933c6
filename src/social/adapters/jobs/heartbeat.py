"""Heartbeats for running jobs, so a worker that dies mid-job gives the job back quickly.

SAQ only sweeps an ``active`` job once it is *stuck*: past its timeout (20 minutes for a video)
or past its heartbeat. A task wrapped here touches its job every third of the heartbeat while
it runs; when the worker process is killed the touches stop, the next sweep (any worker) sees
the stale heartbeat and queues the job again. The loop is stopped before the task returns, so
a late touch can never overwrite the job's final state.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from saq.types import Context

__all__ = ["heartbeating"]

log = logging.getLogger(__name__)

R = TypeVar("R")


async def _beat(job: Any, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        try:
            await job.update()  # sets ``touched``; leaves the status alone
        except Exception:  # a missed beat is retried at the next one
            log.warning("job heartbeat failed", extra={"job": job.key}, exc_info=True)


def heartbeating(
    task: Callable[..., Coroutine[Any, Any, R]],
) -> Callable[..., Coroutine[Any, Any, R]]:
    """The task, touching its job while it runs when the job asks for heartbeats."""

    @functools.wraps(task)
    async def run(ctx: Context, /, **kwargs: Any) -> R:
        job = ctx.get("job")
        heartbeat = getattr(job, "heartbeat", 0) or 0
        if not heartbeat:
            return await task(ctx, **kwargs)
        beat = asyncio.create_task(_beat(job, heartbeat / 3), name=f"heartbeat-{task.__name__}")
        try:
            return await task(ctx, **kwargs)
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    return run
