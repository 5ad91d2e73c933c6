"""Fixtures shared by every test layer: real services when configured, fakes otherwise."""

from __future__ import annotations

import asyncio
import asyncio.tasks
import os
import secrets
import signal
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from social.adapters.postgres import migrations
from social.adapters.postgres.database import Database
from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.schema import metadata
from tests.services import SKIP_MARK, S3Config, require_env

TEST_SECRET = b"test-secret-key-that-is-at-least-32-bytes-long!!"


def _dump_tasks(signum: int, frame: object) -> None:
    """``kill -USR1 <pytest pid>``: every pending asyncio task's stack, into
    ``$TMPDIR/pytest-tasks-<pid>.txt`` (pytest captures stderr). A hung async test waits in the
    event loop, where a thread dump shows only ``select``; this shows what each coroutine awaits."""
    path = Path(tempfile.gettempdir()) / f"pytest-tasks-{os.getpid()}.txt"
    with path.open("w") as out:
        # every loop's tasks, from outside any loop: a private set, untyped in typeshed
        for task in list(asyncio.tasks._all_tasks):  # type: ignore[attr-defined]
            if not task.done():
                print(f"=== {task!r}", file=out)
                task.print_stack(file=out)


signal.signal(signal.SIGUSR1, _dump_tasks)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """An admin URL of a real PostgreSQL: the configured one, or an embedded one for this run."""
    configured = os.environ.get("SOCIAL_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    from social.adapters.postgres.embedded import EmbeddedPostgres

    with tempfile.TemporaryDirectory(prefix="social-test-pg-") as data_dir:
        server = EmbeddedPostgres(Path(data_dir))
        url = server.start()
        try:
            yield url
        finally:
            server.stop()


async def create_database(server_url: str, name: str) -> str:
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(server_url: str, name: str) -> None:
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture(scope="session")
async def database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A fresh database for this test run, migrated to head with the real migrations."""
    name = f"social_test_{secrets.token_hex(4)}"
    url = await create_database(postgres_server_url, name)
    await asyncio.to_thread(migrations.upgrade, url)
    try:
        yield url
    finally:
        await drop_database(postgres_server_url, name)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The test database, emptied after each test."""
    db = Database.connect(database_url, pool_size=5, pool_timeout_s=10)
    try:
        yield db
    finally:
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        async with db.engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} CASCADE"))
        await db.close()


@pytest.fixture
async def read_pool(database: Database, database_url: str) -> AsyncIterator[ReadPool]:
    """The read model's asyncpg pool on the test database (emptied after each test)."""
    pool = ReadPool(database_url, size=4, acquire_timeout_s=10)
    try:
        yield pool
    finally:
        await pool.close()


_WORKER_REDIS_DBS = (0, 1, 2, 3, 4, 7, 8)
"""The Redis database of each pytest-xdist worker (gw0, gw1, …): not those the benchmarks and
the scale and outage tests take for themselves (5, 6, 9-15)."""


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The configured Redis, in a database of this xdist worker's own: each test clears the
    job queue and rate-limit windows left in it, which must not be another worker's (a photo
    job of a test running beside it was deleted, and its test waited 60 s in vain)."""
    url = require_env("redis", "SOCIAL_TEST_REDIS_URL")["SOCIAL_TEST_REDIS_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    number = _WORKER_REDIS_DBS[int(worker.removeprefix("gw")) % len(_WORKER_REDIS_DBS)]
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


@pytest.fixture(scope="session")
def s3_config() -> S3Config:
    env = require_env(
        "minio", "SOCIAL_TEST_S3_ENDPOINT", "SOCIAL_TEST_S3_ACCESS_KEY", "SOCIAL_TEST_S3_SECRET_KEY"
    )
    return S3Config(
        endpoint=env["SOCIAL_TEST_S3_ENDPOINT"],
        access_key=env["SOCIAL_TEST_S3_ACCESS_KEY"],
        secret_key=env["SOCIAL_TEST_S3_SECRET_KEY"],
    )


@pytest.fixture(scope="session")
def opensearch_url() -> str:
    return require_env("opensearch", "SOCIAL_TEST_OPENSEARCH_URL")["SOCIAL_TEST_OPENSEARCH_URL"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    counts: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else ""
        if SKIP_MARK in reason:
            counts[reason.split(SKIP_MARK)[0].removeprefix("Skipped: ").strip()] += 1
    if counts:
        names = ", ".join(f"{name} ({count} tests)" for name, count in sorted(counts.items()))
        terminalreporter.write_sep(
            "!",
            f"SKIPPED for missing services: {names}; run `scripts/services.sh up` and "
            "`source .services/env` to run them",
            red=True,
            bold=True,
        )
