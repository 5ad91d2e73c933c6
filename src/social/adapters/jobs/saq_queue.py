"""The JobQueue port on SAQ: the same code for Redis and the embedded PostgreSQL queue."""

from __future__ import annotations

import json
import logging
import math
from datetime import datetime
from typing import Any

from saq import Queue

from social.adapters.jobs.codec import encode
from social.adapters.jobs.retries import DEFAULT_RETRIES
from social.adapters.jobs.tasks import DEFAULT_TIMEOUT_S, JOB_RETRIES, JOB_TIMEOUTS_S
from social.domain.shared.jobs import Job

__all__ = ["SaqJobQueue", "SaqQueueCheck", "saq_url"]

log = logging.getLogger(__name__)

QUEUE_NAME = "social"
DEFAULT_HEARTBEAT_S = 30
"""A job whose worker stopped touching it this long ago is swept and queued again."""


def saq_url(redis_url: str, database_url: str) -> str:
    """Redis when configured; otherwise the PostgreSQL database in psycopg's DSN form."""
    if redis_url:
        return redis_url
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


class SaqJobQueue:
    """Every job is retried with exponential backoff, as often as its registry entry says
    (``retries.py``), and kept alive by heartbeats (a job of a killed worker runs again once its
    heartbeat is stale); tasks must be idempotent."""

    def __init__(
        self, queue: Queue, *, retry_delay_s: float = 1.0, heartbeat_s: int = DEFAULT_HEARTBEAT_S
    ) -> None:
        self.queue = queue
        self._retry_delay_s = retry_delay_s
        self._heartbeat_s = heartbeat_s

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        name: str = QUEUE_NAME,
        retry_delay_s: float = 1.0,
        heartbeat_s: int = DEFAULT_HEARTBEAT_S,
    ) -> SaqJobQueue:
        return cls(
            Queue.from_url(url, name=name), retry_delay_s=retry_delay_s, heartbeat_s=heartbeat_s
        )

    async def connect(self) -> None:
        await self.queue.connect()

    async def close(self) -> None:
        """Never raises: a process shutting down while Redis is gone must still shut down."""
        try:
            await self.queue.disconnect()
        except Exception:
            log.warning("the job queue did not disconnect cleanly", exc_info=True)

    async def enqueue(self, job: Job) -> None:
        await self._enqueue(job.job_name, encode(job))

    async def enqueue_once(self, key: str, job: str, arguments: dict[str, Any]) -> None:
        """Queue unless a job with this key is still waiting or running (outbox dispatch:
        ``job`` and ``arguments`` are an entry's wire form)."""
        await self._enqueue(job, arguments, key=key)

    async def enqueue_at(self, job: Job, at: datetime) -> None:
        """SAQ's ``scheduled`` (whole seconds, rounded up: never before ``at``) and its ``key``
        dedupe: the key is the job's wire form and the time, so an equal job for the same time
        is not queued again while one waits (nor, on PostgreSQL, once it ran, until SAQ drops the
        finished job)."""
        arguments = encode(job)
        scheduled = math.ceil(at.timestamp())
        key = f"{job.job_name}@{scheduled}:{json.dumps(arguments, sort_keys=True)}"
        await self._enqueue(job.job_name, arguments, key=key, scheduled=scheduled)

    async def _enqueue(
        self, job: str, arguments: dict[str, Any], key: str | None = None, scheduled: int = 0
    ) -> None:
        unique = {"key": key} if key is not None else {}  # without one, SAQ makes a fresh key
        retries = JOB_RETRIES.get(job, DEFAULT_RETRIES)
        await self.queue.enqueue(
            job,
            **unique,
            scheduled=scheduled,
            timeout=JOB_TIMEOUTS_S.get(job, DEFAULT_TIMEOUT_S),
            retries=retries.attempts,
            retry_delay=self._retry_delay_s,
            retry_backoff=True if retries.max_delay_s is None else retries.max_delay_s,
            heartbeat=self._heartbeat_s,
            **arguments,
        )


class SaqQueueCheck:
    """Readiness: the queue's backend answers (Redis, or PostgreSQL for the embedded queue)."""

    name = "jobs"

    def __init__(self, queue: SaqJobQueue) -> None:
        self._queue = queue

    async def check(self) -> None:
        await self._queue.queue.count("queued")
