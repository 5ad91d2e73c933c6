"""Killing one API process or one worker under load (issue 19): two dozen clients write through
nginx while a process is SIGKILLed (its whole process group, as a crash). No write answered 2xx
is lost, a retried post is not made twice, clients retry only the few requests that were in
flight on the dead process, and the jobs a dead worker held are run again by the other."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import httpx
from benchmarks.scale_out.stack import Stack
from saq import Queue
from saq.job import Job, Status
from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import create_async_engine

from tests.scale.workload import Client, Ledger, register

CLIENTS = 24
ROUNDS = 2
WAIT_S = 120.0
"""How long jobs (notifications) may take to appear before the test fails (not a measurement)."""


async def load(clients: list[Client], rounds: int) -> None:
    await asyncio.gather(
        *(
            client.rounds([c for c in clients if c is not client], rounds, seed=index)
            for index, client in enumerate(clients)
        )
    )


async def when_posts(ledger: Ledger, count: int) -> None:
    """Until the clients have ``count`` posts acknowledged: the kill happens mid-load."""
    for _ in range(int(WAIT_S * 20)):
        if len(ledger.posts) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{len(ledger.posts)} posts after {WAIT_S:.0f} s; {count} awaited")


async def rows(stack: Stack, sql: str) -> list[Row[Any]]:
    """The rows of one query on the stack's database."""
    engine = create_async_engine(stack.env["SOCIAL_DATABASE_URL"])
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(text(sql)))
    finally:
        await engine.dispose()


async def assert_nothing_lost(stack: Stack, ledger: Ledger) -> None:
    """Every acknowledged post, like and follow is in the database; each post key made one
    post (a retried create returned the first post instead of making another)."""
    posts = {(r.author_id, r.id) for r in await rows(stack, "SELECT id, author_id FROM posts")}
    likes = {(r.user_id, r.post_id) for r in await rows(stack, "SELECT * FROM likes")}
    follows = {(r.follower_id, r.followee_id) for r in await rows(stack, "SELECT * FROM follows")}
    assert set(ledger.posts.values()) <= posts
    assert Counter(a for a, _ in posts) == Counter(a for a, _ in ledger.posts.values())
    assert ledger.likes <= likes
    assert ledger.follows <= follows


def report(what: str, ledger: Ledger) -> None:
    """The retries, for the log (``pytest -s``) and for a failure's message."""
    print(
        f"{what}: {len(ledger.posts)} posts, {len(ledger.likes)} likes, {len(ledger.follows)} "
        f"follows acknowledged; {ledger.retries.total()} requests retried by "
        f"{len(ledger.retries)} of {CLIENTS} clients: {Counter(ledger.failures)}"
    )


async def test_killing_an_api_process_under_load_loses_no_acknowledged_write(
    stack: Stack,
) -> None:
    ledger = Ledger()
    async with httpx.AsyncClient(base_url=stack.url, timeout=60) as http:
        clients = await register(http, [f"user{i:02d}" for i in range(CLIENTS)], ledger)
        writing = asyncio.create_task(load(clients, ROUNDS))
        await when_posts(ledger, CLIENTS // 2)
        await stack.kill("api0")
        await asyncio.sleep(1.0)  # the clients carry on through nginx with one process
        stack.start_api(0)
        await stack.wait_ready("api0")
        await writing
    report("API process killed", ledger)
    await assert_nothing_lost(stack, ledger)
    # only requests in flight on the dead process fail (a connection refused goes to the other
    # one within nginx): at most one per client, which has one request at a time
    assert all(count <= 1 for count in ledger.retries.values()), ledger.retries


async def active_jobs(queue: Queue, worker_id: str) -> list[Job]:
    """The jobs ``worker_id`` holds right now (active, and its)."""
    ids = await queue.redis.lrange("saq:social:active", 0, -1)  # type: ignore[attr-defined]
    jobs = [queue.deserialize(await queue.redis.get(i)) for i in ids]  # type: ignore[attr-defined]
    return [j for j in jobs if j and j.status == Status.ACTIVE and j.worker_id == worker_id]


async def test_killing_a_worker_under_load_hands_its_jobs_to_the_other(stack: Stack) -> None:
    ledger = Ledger()
    queue = Queue.from_url(stack.env["SOCIAL_REDIS_URL"], name="social")
    doomed, survivor = stack.worker_ids["worker0"], stack.worker_ids["worker1"]
    try:
        async with httpx.AsyncClient(base_url=stack.url, timeout=60) as http:
            clients = await register(http, [f"user{i:02d}" for i in range(CLIENTS)], ledger)
            writing = asyncio.create_task(load(clients, ROUNDS))
            held: list[Job] = []
            while not held and not writing.done():  # kill it while it holds a job
                held = await active_jobs(queue, doomed)
                await asyncio.sleep(0.01)
            await stack.kill("worker0")
            held = await active_jobs(queue, doomed)  # what it died holding
            await writing
        report("worker killed", ledger)
        assert held, "worker0 never held a job under load"
        await assert_nothing_lost(stack, ledger)

        async def taken_over() -> bool:
            again = [await queue.job(job.key) for job in held]
            return all(
                j is not None and j.status == Status.COMPLETE and j.worker_id == survivor
                for j in again
            )

        await eventually(taken_over)
        await eventually(lambda: all_notified(stack, ledger))
    finally:
        await queue.disconnect()


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """Until ``check()`` is true, for at most WAIT_S."""
    for _ in range(int(WAIT_S * 4)):
        if await check():
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"{check} still false after {WAIT_S:.0f} s")


async def all_notified(stack: Stack, ledger: Ledger) -> bool:
    """A notification (made by a job) for every acknowledged like and follow."""
    authors = {post: author for author, post in ledger.posts.values()}
    wanted = {("like", authors[post], liker) for liker, post in ledger.likes} | {
        ("follow", followee, follower) for follower, followee in ledger.follows
    }
    made: set[tuple[str, UUID, UUID]] = {
        (r.kind, r.recipient_id, r.actor_id)
        for r in await rows(stack, "SELECT kind, recipient_id, actor_id FROM notifications")
    }
    return wanted <= made
