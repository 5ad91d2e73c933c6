"""One suite for the ``ActivityLog`` port and its writer's life cycle, on the fake and on
``BufferedActivityLog`` over PostgreSQL: ``record`` only buffers, ``flush`` writes what was
recorded once each, ``close`` loses nothing, and a full buffer pushes the oldest entries out
(counted) instead of growing or blocking. Entries are told apart by their client ids and read
back through the ``ActivityRepository``'s daily counts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol
from uuid import UUID

import pytest

from social.adapters.postgres.activity import BufferedActivityLog
from social.domain.activity.model import ActivityEntry
from social.domain.shared.ids import new_id
from tests.contract.stores import Backend
from tests.fakes.activity import InMemoryActivityLog

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


class WritingLog(Protocol):
    """``ActivityLog`` plus what the composition root drives and tests read."""

    dropped: int

    def __len__(self) -> int: ...

    def record(self, entry: ActivityEntry) -> None: ...

    def start(self) -> None: ...

    async def flush(self) -> None: ...

    async def close(self) -> None: ...


Make = Callable[[int], WritingLog]
"""A log over the backend's store whose buffer holds at most that many entries."""


@pytest.fixture
async def make(backend: Backend) -> AsyncIterator[Make]:
    """The fake on the fake store; ``BufferedActivityLog`` writing batches of two through the
    PostgreSQL unit of work as the composition root wires it, flushing by itself only when a
    batch is full (the interval is a minute)."""
    made: list[WritingLog] = []

    async def write(entries: Sequence[ActivityEntry]) -> None:
        async with backend.uow() as uow:
            await uow.activity.add_many(entries)
            await uow.commit()

    def make(max_entries: int) -> WritingLog:
        log: WritingLog
        if backend.database is None:
            log = InMemoryActivityLog(backend.uow, max_entries=max_entries)
        else:
            log = BufferedActivityLog(write, max_entries=max_entries, batch_size=2, interval_s=60)
        made.append(log)
        return log

    yield make
    for log in made:
        await log.close()


def entries(count: int) -> list[ActivityEntry]:
    """Entries of distinct clients, so the daily counts say which were written, and how often."""
    return [ActivityEntry(new_id(), None, "GET", "/api/v1/me", 200, 1.5, NOW) for _ in range(count)]


async def written(backend: Backend) -> dict[UUID, int]:
    """How many times each client's entry is stored."""
    async with backend.uow() as uow:
        counts = await uow.activity.daily_counts(NOW - timedelta(days=1))
    return {client: count for (client, _), count in counts.items()}


def once(*recorded: ActivityEntry) -> dict[UUID, int]:
    return {entry.client_id: 1 for entry in recorded if entry.client_id is not None}


async def test_recorded_entries_are_written_at_the_flush(backend: Backend, make: Make) -> None:
    log = make(100)
    recorded = entries(5)
    for entry in recorded:
        log.record(entry)
    assert len(log) == 5
    assert await written(backend) == {}  # recording only buffers
    await log.flush()
    assert len(log) == 0 and log.dropped == 0
    assert await written(backend) == once(*recorded)


async def test_each_entry_is_written_once_across_flushes(backend: Backend, make: Make) -> None:
    log = make(100)
    first, second = entries(3), entries(2)
    for entry in first:
        log.record(entry)
    await log.flush()
    await log.flush()  # nothing new: writes nothing
    for entry in second:
        log.record(entry)
    await log.flush()
    assert await written(backend) == once(*first, *second)


@pytest.mark.parametrize("started", [True, False], ids=["started", "never-started"])
async def test_closing_writes_everything_recorded(
    backend: Backend, make: Make, started: bool
) -> None:
    log = make(100)
    if started:
        log.start()
    recorded = entries(7)
    for entry in recorded:
        log.record(entry)
    await log.close()
    assert len(log) == 0
    assert await written(backend) == once(*recorded)


async def test_a_full_buffer_drops_the_oldest_entries(backend: Backend, make: Make) -> None:
    log = make(3)
    recorded = entries(5)
    for entry in recorded:
        log.record(entry)  # never blocks, never raises, never grows past the bound
    assert len(log) == 3 and log.dropped == 2
    await log.close()
    assert await written(backend) == once(*recorded[2:])
