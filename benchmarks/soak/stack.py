"""What the soak stands on besides the server: its database (a copy of the suggestions
benchmark's seed when there is one, else seeded), prepared as the load test prepares its own so
either workload runs on it; a separate job worker when asked; the sampler on a thread."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import redis
from app_stack import prepare_database
from sampler import Sampler
from seed_feed_data import database_name, plain_dsn
from suggestions import fill_post_tags

TEMPLATE = "social_bench_suggest"
TEMPLATE_TOKENS = Path("/tmp/social_bench_suggest/tokens.txt")  # noqa: S108


async def _clone(url: str, template: str) -> bool:
    """The soak's database as a copy of the suggestions benchmark's seed, if that exists and
    nobody is connected to it (PostgreSQL's condition for a template)."""
    admin = await asyncpg.connect(plain_dsn(url).rsplit("/", 1)[0] + "/postgres")
    try:
        names = {r[0] for r in await admin.fetch("SELECT datname FROM pg_database")}
        if database_name(url) in names:
            return True
        if template not in names:
            return False
        try:
            await admin.execute(f'CREATE DATABASE "{database_name(url)}" TEMPLATE "{template}"')
        except asyncpg.PostgresError as error:
            print(f"copying {template} failed ({error}); seeding instead")
            return False
        return True
    finally:
        await admin.close()


async def _search_documents_missing(url: str) -> bool:
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        return not await connection.fetchval("SELECT EXISTS (SELECT 1 FROM search_user_documents)")
    finally:
        await connection.close()


def prepare(
    database_url: str, redis_url: str, tokens: Path, env: dict[str, str], *, reseed: bool
) -> None:
    """The seeded database at this checkout's head, ``post_tags`` filled (the seed loads posts
    with triggers off) and the search documents built (what the load test's tag and search
    requests read); the soak's Redis database emptied."""
    fresh = not reseed and not tokens.is_file() and TEMPLATE_TOKENS.is_file()
    if fresh and asyncio.run(_clone(database_url, TEMPLATE)):
        tokens.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE_TOKENS, tokens)
        print(f"{database_name(database_url)}: a copy of {TEMPLATE}")
    prepare_database(database_url, tokens, reseed=reseed)
    if filled := asyncio.run(fill_post_tags(database_url)):
        print(f"post_tags filled: {filled:,} rows")
    if asyncio.run(_search_documents_missing(database_url)):
        print("building the search documents (social reindex, a few minutes) …", flush=True)
        command = [sys.executable, "-m", "social", "reindex"]
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    redis.Redis.from_url(redis_url).flushdb()


@contextmanager
def job_worker(env: dict[str, str], log: Path, wanted: bool) -> Iterator[int | None]:
    """A separate ``social worker`` in a session of its own, or nothing (jobs in process)."""
    if not wanted:
        yield None
        return
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "social", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def sampling(sampler: Sampler) -> Iterator[Sampler]:
    """The sampler on a thread of its own (its own event loop), stopped after the block."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(sampler.run(),), daemon=True)
    thread.start()
    try:
        yield sampler
    finally:
        loop.call_soon_threadsafe(sampler.stop.set)
        thread.join(sampler.interval_s + 30)
