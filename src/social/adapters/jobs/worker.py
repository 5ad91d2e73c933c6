"""The SAQ worker: a separate process in production, a task inside the API when embedded."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from saq import Worker
from saq.types import Context

from social.adapters.jobs.registry import UseCaseLookup
from social.adapters.jobs.saq_queue import SaqJobQueue
from social.adapters.jobs.tasks import CRON_JOBS, TASKS
from social.adapters.observability.metrics import QUEUE_DEPTH, observe_job

__all__ = ["InProcessWorker", "SocialWorker", "build_worker"]


class SocialWorker(Worker[Context]):
    """SAQ's worker, adjusted to live inside another program.

    It leaves signals to its host (SAQ would take SIGTERM away from the API server), and on stop
    it cancels its upkeep loops at once instead of waiting out the grace period for them: the
    grace period is for jobs in flight, which SAQ still waits for.
    """

    SIGNALS: list[signal.Signals] = []  # SAQ's own class attribute, emptied on purpose

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._upkeep_tasks: list[asyncio.Task[None]] = []

    async def upkeep(self) -> list[asyncio.Task[None]]:
        self._upkeep_tasks = [
            *await super().upkeep(),
            asyncio.create_task(self._watch_queue(), name="queue-depth"),
        ]
        return self._upkeep_tasks

    async def _watch_queue(self) -> None:
        """Queue depth for the metrics, every few seconds (one cheap count per state)."""
        while True:
            for state in ("queued", "active", "incomplete"):
                with contextlib.suppress(Exception):
                    QUEUE_DEPTH.labels(state).set(await self.queue.count(state))
            await asyncio.sleep(5)

    async def stop(self) -> None:
        for task in self._upkeep_tasks:
            task.cancel()
        await super().stop()


def build_worker(
    queue: SaqJobQueue,
    *,
    use_cases: UseCaseLookup,
    concurrency: int,
    relay_outbox: Callable[[], Awaitable[int]] | None = None,
    sweep_s: int = 10,
) -> SocialWorker:
    """``sweep_s``: how often stuck jobs (stale heartbeat, past timeout) are looked for."""

    async def startup(ctx: Context) -> None:
        ctx["use_cases"] = use_cases  # type: ignore[typeddict-unknown-key]
        ctx["relay_outbox"] = relay_outbox  # type: ignore[typeddict-unknown-key]

    async def after_process(ctx: Context) -> None:
        if (job := ctx.get("job")) is not None:
            observe_job(job)

    return SocialWorker(
        queue.queue,
        functions=TASKS,
        cron_jobs=CRON_JOBS,
        concurrency=concurrency,
        startup=startup,
        after_process=after_process,
        shutdown_grace_period_s=10,
        dequeue_timeout=1.0,  # idle loops notice a stop within a second
        timers={"sweep": sweep_s},
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
