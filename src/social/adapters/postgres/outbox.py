"""The transactional outbox: jobs become durable with the change that needs them.

A use case enqueues on ``uow.jobs``; the rows commit with everything else. Right after the
commit the unit of work hands them to the real queue and deletes them; if the process dies
in between, ``relay_outbox`` (a periodic job) hands over whatever is left. A job may thus run
twice, never zero times, which is why every task is idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.jobs.codec import encode
from social.adapters.postgres.outbox_tables import OutboxJobRow
from social.domain.shared.clock import Clock
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import Job

__all__ = ["Dispatch", "OutboxEntry", "SqlaOutbox", "dispatch_committed", "relay_outbox"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A job in its wire form (``codec.encode``): its name and arguments, as SAQ takes them."""

    id: UUID
    job: str
    arguments: dict[str, Any]


Dispatch = Callable[[Sequence[OutboxEntry]], Awaitable[None]]
"""Hands entries to the real queue (deduplicated by entry id)."""


class SqlaOutbox:
    """The ``JobQueue`` a unit of work exposes: writes rows in the current transaction."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._db = session
        self._clock = clock
        self.pending: list[OutboxEntry] = []

    async def enqueue(self, job: Job) -> None:
        entry = OutboxEntry(new_id(), job.job_name, encode(job))  # a TypeError now, not later
        self._db.add(
            OutboxJobRow(
                id=entry.id, job=entry.job, arguments=entry.arguments, created_at=self._clock.now()
            )
        )
        self.pending.append(entry)


async def dispatch_committed(
    sessions: async_sessionmaker[AsyncSession], dispatch: Dispatch, entries: Sequence[OutboxEntry]
) -> None:
    """After a commit: queue the entries, then forget them. Failures are left for the relay."""
    try:
        await dispatch(entries)
        async with sessions() as db, db.begin():
            await db.execute(
                delete(OutboxJobRow).where(OutboxJobRow.id.in_([e.id for e in entries]))
            )
    except Exception:
        log.warning("outbox dispatch deferred to the relay", exc_info=True)


async def relay_outbox(
    sessions: async_sessionmaker[AsyncSession],
    dispatch: Dispatch,
    *,
    now: datetime,
    older_than: timedelta,
    batch: int = 500,
) -> int:
    """Queue entries nobody dispatched (older than ``older_than``, so in-flight commits are left
    to their own dispatch); rows are locked with SKIP LOCKED so several relays share the work."""
    relayed = 0
    while True:
        async with sessions() as db, db.begin():
            rows = (
                await db.scalars(
                    select(OutboxJobRow)
                    .where(OutboxJobRow.created_at < now - older_than)
                    .order_by(OutboxJobRow.created_at)
                    .limit(batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return relayed
            await dispatch([OutboxEntry(row.id, row.job, row.arguments) for row in rows])
            await db.execute(delete(OutboxJobRow).where(OutboxJobRow.id.in_([r.id for r in rows])))
            relayed += len(rows)
