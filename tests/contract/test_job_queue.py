"""The job-queue port: the recording fake and SAQ on both of its backends (PostgreSQL for the
embedded mode, Redis in production). The real ones must also run what they accept, retry
failures, take jobs from several producers, and hold a delayed job back until its time (an
equal one for the same time queued once)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from saq.types import Context

from social.adapters.jobs.saq_queue import SaqJobQueue, saq_url
from social.adapters.jobs.worker import InProcessWorker, SocialWorker
from social.domain.shared.jobs import Job
from social.domain.shared.ports import DelayedJobQueue, JobQueue
from tests.fakes.shared import RecordingJobQueue

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@dataclass(frozen=True, slots=True)
class Record(Job):
    """A test job: its task records the arguments it was called with (``None`` is left out)."""

    job_name: ClassVar[str] = "record"
    user_id: str | None = None
    count: int | None = None
    tags: tuple[str, ...] | None = None
    nested: dict[str, Any] | None = None
    n: int | None = None


@dataclass(frozen=True, slots=True)
class Flaky(Job):
    job_name: ClassVar[str] = "flaky"
    fail_times: int


@dataclass(frozen=True, slots=True)
class Unwritable(Job):
    job_name: ClassVar[str] = "record"
    when: object


class Runs:
    """What the test tasks saw, shared with the worker through closures."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.attempts = 0
        self.done = asyncio.Event()


def _tasks(runs: Runs) -> list[Any]:
    async def record(ctx: Context, **arguments: Any) -> None:
        runs.calls.append(arguments)
        runs.done.set()

    async def flaky(ctx: Context, *, fail_times: int) -> None:
        runs.attempts += 1
        if runs.attempts <= fail_times:
            raise RuntimeError("transient failure")
        runs.done.set()

    return [("record", record), ("flaky", flaky)]


def _url(request: pytest.FixtureRequest) -> str:
    """Sync on purpose: ``getfixturevalue`` of an async fixture needs the loop to be idle."""
    if request.param == "saq-postgres":
        return saq_url("", request.getfixturevalue("database_url"))
    if request.param == "saq-redis":
        return str(request.getfixturevalue("redis_url"))
    return ""


@pytest.fixture(params=["fake", "saq-postgres", "saq-redis"])
def queue_url(request: pytest.FixtureRequest) -> str:
    """Every adapter, the fake included."""
    return _url(request)


@pytest.fixture(params=["saq-postgres", "saq-redis"])
def runner_url(request: pytest.FixtureRequest) -> str:
    """The adapters that actually run jobs (the fake only records them)."""
    return _url(request)


@pytest.fixture
async def queue(queue_url: str) -> AsyncIterator[DelayedJobQueue]:
    if not queue_url:
        yield RecordingJobQueue()
        return
    url = queue_url
    saq = SaqJobQueue.from_url(url, name=f"test-{secrets.token_hex(4)}", retry_delay_s=0.05)
    await saq.connect()
    try:
        yield saq
    finally:
        await saq.close()


@pytest.fixture
async def runner(runner_url: str) -> AsyncIterator[SaqJobQueue]:
    saq = SaqJobQueue.from_url(runner_url, name=f"test-{secrets.token_hex(4)}", retry_delay_s=0.05)
    await saq.connect()
    try:
        yield saq
    finally:
        await saq.close()


@pytest.fixture
async def runs(runner: SaqJobQueue) -> AsyncIterator[Runs]:
    runs = Runs()
    queue = runner
    worker = InProcessWorker(SocialWorker(queue.queue, functions=_tasks(runs), dequeue_timeout=0.2))
    worker.start()
    try:
        yield runs
    finally:
        await worker.stop()


async def test_accepts_json_arguments(queue: JobQueue) -> None:
    await queue.enqueue(Record(user_id="u1", count=3, tags=("a", "b"), nested={"x": None}))


async def test_refuses_arguments_that_cannot_be_serialised(queue: JobQueue) -> None:
    with pytest.raises(TypeError):
        await queue.enqueue(Unwritable(when=object()))


async def test_the_fake_records_what_was_enqueued() -> None:
    queue = RecordingJobQueue()
    await queue.enqueue(Record(user_id="u1"))
    assert queue.jobs == [Record(user_id="u1")]


async def test_runs_what_it_accepts(runner: SaqJobQueue, runs: Runs) -> None:
    await runner.enqueue(Record(user_id="u1", tags=("a",)))
    await asyncio.wait_for(runs.done.wait(), 10)
    assert runs.calls == [{"user_id": "u1", "tags": ["a"]}]


async def test_failed_jobs_are_retried(runner: SaqJobQueue, runs: Runs) -> None:
    await runner.enqueue(Flaky(fail_times=2))
    await asyncio.wait_for(runs.done.wait(), 15)
    assert runs.attempts == 3


async def test_many_producers_lose_nothing(runner: SaqJobQueue, runs: Runs) -> None:
    await asyncio.gather(*(runner.enqueue(Record(n=n)) for n in range(30)))
    for _ in range(100):
        if len(runs.calls) >= 30:
            break
        await asyncio.sleep(0.1)
    assert sorted(call["n"] for call in runs.calls) == list(range(30))


async def test_a_delayed_job_is_queued_once_for_its_time(queue: DelayedJobQueue) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=30)
    for _ in range(3):
        await queue.enqueue_at(Record(user_id="u1"), soon)
    await queue.enqueue_at(Record(user_id="u1"), soon + timedelta(seconds=5))
    await queue.enqueue_at(Record(user_id="u2"), soon)
    if isinstance(queue, RecordingJobQueue):
        assert len(queue.delayed) == 3
    else:
        assert isinstance(queue, SaqJobQueue)
        assert await queue.queue.count("incomplete") == 3
        assert await queue.queue.count("queued") == 0  # held back until their time


async def test_a_delayed_job_runs_at_its_time_not_before(runner: SaqJobQueue, runs: Runs) -> None:
    due = datetime.now(UTC) + timedelta(seconds=2)
    await runner.enqueue_at(Record(user_id="u1"), due)
    await runner.enqueue_at(Record(user_id="u1"), due)  # the same: collapses
    await asyncio.wait_for(runs.done.wait(), 15)
    assert datetime.now(UTC) >= due
    await asyncio.sleep(1.5)  # a second copy would have run by now
    assert runs.calls == [{"user_id": "u1"}]
