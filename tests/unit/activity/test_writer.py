"""The activity log's writer: ``record`` never waits (even with the store stuck), the buffer's
bound holds by dropping the oldest entries, batches go by size or by time, the last batch is
written at shutdown, failed batches are retried, and a stuck store cannot hang shutdown."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from prometheus_client import REGISTRY

from social.adapters.postgres.activity import BufferedActivityLog
from social.domain.activity.model import ActivityEntry

AT = datetime(2026, 3, 10, 12, tzinfo=UTC)


def entry(n: int) -> ActivityEntry:
    return ActivityEntry(None, None, "GET", f"/api/v1/r{n}", 200, 1.0, AT)


class Store:
    """A batch sink that can be made to hang or fail."""

    def __init__(self, *, stuck: bool = False, failures: int = 0) -> None:
        self.batches: list[list[ActivityEntry]] = []
        self.release = asyncio.Event()
        if not stuck:
            self.release.set()
        self.failures = failures
        self.calls = 0

    async def write(self, entries: Sequence[ActivityEntry]) -> None:
        self.calls += 1
        await self.release.wait()
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database unreachable")
        self.batches.append(list(entries))

    @property
    def written(self) -> list[ActivityEntry]:
        return [e for batch in self.batches for e in batch]


async def until(check: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


async def test_record_returns_at_once_while_the_store_is_stuck() -> None:
    store = Store(stuck=True)
    log = BufferedActivityLog(store.write, max_entries=10_000, batch_size=500, interval_s=60)
    log.start()
    for n in range(500):
        log.record(entry(n))
    await until(lambda: store.calls == 1)  # the writer took the first batch and hangs in it

    entries = [entry(n) for n in range(500, 100_500)]
    started = time.perf_counter()
    for e in entries:
        log.record(e)
    elapsed = time.perf_counter() - started
    # 100,000 records: about 0.04 s (0.4 µs each) here; the store never returns, so any bound
    # proves record() does not wait for it, and a generous one cannot flip on a busy machine
    assert elapsed < 5, elapsed

    assert len(log) == 10_000 + 500  # the bound (plus the batch in the writer's hands)
    assert log.dropped == 100_000 - 10_000  # the oldest went
    store.release.set()
    await log.close()
    routes = [e.route for e in store.written]
    assert routes[:500] == [f"/api/v1/r{n}" for n in range(500)]
    assert routes[500:] == [f"/api/v1/r{n}" for n in range(90_500, 100_500)]  # the newest
    assert log.written == 10_500 and len(log) == 0


async def test_a_full_batch_is_written_without_waiting_for_the_interval() -> None:
    store = Store()
    log = BufferedActivityLog(store.write, batch_size=100, interval_s=60)
    log.start()
    for n in range(250):
        log.record(entry(n))
    await until(lambda: len(store.written) >= 200)
    assert [len(b) for b in store.batches][:2] == [100, 100]
    await log.close()
    assert len(store.written) == 250


async def test_entries_arriving_during_a_write_wait_for_a_full_batch_or_the_interval() -> None:
    """Under load entries keep coming while a batch is written: they are not drained in a
    stream of tiny transactions, but wait for the next full batch (or the interval)."""
    store = Store(stuck=True)
    log = BufferedActivityLog(store.write, batch_size=100, interval_s=60)
    log.start()
    for n in range(100):
        log.record(entry(n))
    await until(lambda: store.calls == 1)  # a full batch is being written
    for n in range(100, 130):
        log.record(entry(n))  # a trickle meanwhile
    store.release.set()
    await until(lambda: len(store.batches) == 1)
    await asyncio.sleep(0.05)
    assert store.calls == 1  # the 30 wait: no write of a partial batch
    for n in range(130, 200):
        log.record(entry(n))  # now a full batch
    await until(lambda: len(store.batches) == 2)
    assert [len(b) for b in store.batches] == [100, 100]
    await log.close()
    assert len(store.written) == 200


async def test_a_partial_batch_is_written_after_the_interval() -> None:
    store = Store()
    log = BufferedActivityLog(store.write, batch_size=500, interval_s=0.05)
    log.start()
    for n in range(3):
        log.record(entry(n))
    await until(lambda: len(store.written) == 3)
    assert [len(b) for b in store.batches] == [3]
    await log.close()


async def test_shutdown_writes_the_last_batch() -> None:
    store = Store()
    log = BufferedActivityLog(store.write, batch_size=500, interval_s=60)
    log.start()
    await asyncio.sleep(0)
    for n in range(7):
        log.record(entry(n))
    await log.close()
    assert [len(b) for b in store.batches] == [7]


async def test_a_failed_batch_is_retried_in_order_then_given_up() -> None:
    store = Store(failures=2)
    log = BufferedActivityLog(store.write, batch_size=500, interval_s=0.02, max_attempts=5)
    log.start()
    for n in range(3):
        log.record(entry(n))
    await until(lambda: len(store.written) == 3)
    assert store.calls == 3 and log.dropped == 0
    assert [e.route for e in store.written] == ["/api/v1/r0", "/api/v1/r1", "/api/v1/r2"]
    await log.close()

    failing = Store(failures=1_000)
    log = BufferedActivityLog(failing.write, batch_size=500, interval_s=0.01, max_attempts=3)
    counted = REGISTRY.get_sample_value("social_activity_entries_dropped_total") or 0.0
    log.start()
    log.record(entry(0))
    await until(lambda: log.dropped == 1)
    assert failing.calls == 3 and len(log) == 0
    await until(  # the metric the Grafana dashboard charts
        lambda: REGISTRY.get_sample_value("social_activity_entries_dropped_total") == counted + 1
    )
    await log.close()


async def test_a_stuck_store_cannot_hang_shutdown() -> None:
    store = Store(stuck=True)
    log = BufferedActivityLog(store.write, batch_size=500, interval_s=0.01, close_timeout_s=0.2)
    log.start()
    log.record(entry(0))
    await until(lambda: store.calls == 1)
    started = time.monotonic()
    await log.close()
    assert time.monotonic() - started < 10  # close_timeout_s=0.2; the store never returns
    assert len(log) == 1  # lost, and logged as such
