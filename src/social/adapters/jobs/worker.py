"""The SAQ worker: a separate process in production, a task inside the API when embedded."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from saq import Worker
from saq.types import Context

from social.adapters.jobs.saq_queue import SaqJobQueue
from social.adapters.jobs.tasks import CRON_JOBS, TASKS

__all__ = ["InProcessWorker", "build_worker"]


def build_worker(queue: SaqJobQueue, *, use_cases: Any, concurrency: int) -> Worker[Context]:
    async def startup(ctx: Context) -> None:
        ctx["use_cases"] = use_cases  # type: ignore[typeddict-unknown-key]

    return Worker(
        queue.queue,
        functions=TASKS,
        cron_jobs=CRON_JOBS,
        concurrency=concurrency,
        startup=startup,
        shutdown_grace_period_s=10,
    )


class InProcessWorker:
    """Runs the worker as a task of the API's event loop (the embedded, one-process mode)."""

    def __init__(self, worker: Worker[Context]) -> None:
        self._worker = worker
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._worker.start(), name="saq-worker")

    async def stop(self) -> None:
        if self._task is None:
            return
        await self._worker.stop()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
