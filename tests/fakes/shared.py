"""Fakes of the shared ports (``domain/shared``): a clock tests can move, the job queues (one
that records, and the outbox of a fake unit of work), idempotency keys and the search outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from social.adapters.jobs.codec import encode
from social.domain.shared.errors import Conflict, Unavailable
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import Job
from social.domain.shared.mail import MailMessage
from social.domain.shared.search_changes import ChangeKind, SearchChange

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore
    from tests.fakes.search import InMemorySearchSyncPause

__all__ = [
    "InMemoryIdempotencyKeys",
    "InMemoryOutbox",
    "InMemorySearchChanges",
    "MutableClock",
    "RecordingJobQueue",
    "RecordingMailer",
]


class MutableClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 1, 1, 12, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class RecordingJobQueue:
    """Records what was enqueued (unit tests assert on it; nothing runs): ``jobs`` at once,
    ``delayed`` for later (an equal job for the same time recorded once while it waits, as the
    real queue does; ``take_due`` takes those whose time has come)."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.delayed: list[tuple[datetime, Job]] = []

    async def enqueue(self, job: Job) -> None:
        encode(job)  # like the real queues: the job must survive serialisation
        self.jobs.append(job)

    async def enqueue_at(self, job: Job, at: datetime) -> None:
        encode(job)
        if (at, job) not in self.delayed:
            self.delayed.append((at, job))

    def take_due(self, now: datetime) -> list[Job]:
        """The delayed jobs due at ``now``, by time, no longer waiting."""
        due = sorted((entry for entry in self.delayed if entry[0] <= now), key=lambda e: e[0])
        self.delayed = [entry for entry in self.delayed if entry[0] > now]
        return [job for _, job in due]


class InMemoryOutbox:
    """The transactional job queue of a fake unit of work: jobs commit with the rest."""

    def __init__(self, jobs: list[Job]) -> None:
        self._jobs = jobs

    async def enqueue(self, job: Job) -> None:
        encode(job)  # like the real outbox: what cannot be written is refused at once
        self._jobs.append(job)


class InMemoryIdempotencyKeys:
    def __init__(self, work: AccountsStore, clock: Callable[[], datetime] | None = None) -> None:
        self._keys = work.idempotency
        self._at = work.idempotency_times
        self._clock = clock or (lambda: datetime.now(UTC))

    async def recall(self, owner_id: UUID, scope: str, key: str) -> UUID | None:
        return self._keys.get((owner_id, scope, key))

    async def remember(self, owner_id: UUID, scope: str, key: str, resource_id: UUID) -> None:
        if (owner_id, scope, key) in self._keys:
            raise Conflict("A request with this Idempotency-Key is already being handled.")
        self._keys[(owner_id, scope, key)] = resource_id
        self._at[(owner_id, scope, key)] = self._clock()

    async def forget_before(self, cutoff: datetime, limit: int) -> int:
        old = sorted((at, k) for k, at in self._at.items() if at < cutoff)[:limit]
        for _, k in old:
            self._keys.pop(k, None)
            self._at.pop(k, None)
        return len(old)


class InMemorySearchChanges:
    def __init__(self, work: AccountsStore, pause: InMemorySearchSyncPause) -> None:
        self._w = work
        self._pause = pause

    async def record(self, kind: ChangeKind, target_id: UUID) -> None:
        self._w.search_changes.append(SearchChange(new_id(), kind, target_id))

    async def claim(self, limit: int) -> list[SearchChange] | None:
        if self._pause.active:
            return None
        return list(self._w.search_changes[:limit])

    async def done(self, changes: Sequence[SearchChange]) -> None:
        gone = {c.id for c in changes}
        self._w.search_changes[:] = [c for c in self._w.search_changes if c.id not in gone]

    async def backlog(self) -> int:
        return len(self._w.search_changes)


class RecordingMailer:
    """Keeps every message sent; while ``down`` it refuses them as an unreachable server does."""

    def __init__(self) -> None:
        self.sent: list[MailMessage] = []
        self.down = False

    async def send(self, message: MailMessage) -> None:
        if self.down:
            raise Unavailable("The mail server is not reachable.", dependency="mail")
        self.sent.append(message)
