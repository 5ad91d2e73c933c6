"""Ports every context may use: the unit of work, background jobs, health checks, and the
idempotency keys (with the unit of work that forgets old ones)."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from social.domain.shared.jobs import Job

__all__ = [
    "DelayedJobQueue",
    "DependencyCheck",
    "IdempotencyKeys",
    "IdempotencyUnitOfWork",
    "JobQueue",
    "UnitOfWork",
]


class UnitOfWork(Protocol):
    """One business transaction: repositories share it, ``commit`` makes their changes durable.

    Leaving the ``async with`` block without ``commit`` rolls everything back. Jobs enqueued on
    ``jobs`` are part of the transaction (an outbox): they run if and only if it commits.
    """

    @property
    def jobs(self) -> JobQueue: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class JobQueue(Protocol):
    """Hands work to background workers; jobs are idempotent and may run more than once."""

    async def enqueue(self, job: Job) -> None:
        """Queue ``job``; raises ``TypeError`` when its fields cannot be encoded."""
        ...


class DelayedJobQueue(JobQueue, Protocol):
    """The queue itself, outside any transaction, which can also hold a job back: for a job
    that puts off its own work (it completes only once the later job is queued, so a failure
    retries it and nothing is lost)."""

    async def enqueue_at(self, job: Job, at: datetime) -> None:
        """Queue ``job`` to run at ``at`` (not before, to the second) or soon after. An equal
        job for the same time is queued once: while one waits, queuing it again does nothing,
        so a burst of them collapses into one."""
        ...


class DependencyCheck(Protocol):
    """A probe of one external dependency, used by the readiness endpoint."""

    name: str

    async def check(self) -> None:
        """Return when the dependency answers; raise any exception when it does not."""
        ...


class IdempotencyKeys(Protocol):
    """Remembers which resource a client's ``Idempotency-Key`` created, so a retried request
    returns the first result instead of creating a second resource."""

    async def recall(self, owner_id: UUID, scope: str, key: str) -> UUID | None: ...

    async def remember(self, owner_id: UUID, scope: str, key: str, resource_id: UUID) -> None:
        """Raises ``Conflict`` when another request claimed the same key first."""
        ...

    async def forget_before(self, cutoff: datetime, limit: int) -> int:
        """Drop up to ``limit`` keys remembered before ``cutoff``; how many went."""
        ...


class IdempotencyUnitOfWork(UnitOfWork, Protocol):
    """The transaction ``ForgetIdempotencyKeys`` works in."""

    @property
    def idempotency(self) -> IdempotencyKeys: ...
