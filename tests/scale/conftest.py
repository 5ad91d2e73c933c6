"""The scale-out stack of benchmarks/scale_out/ for a test: two ``social serve`` processes, two
``social worker`` processes and nginx, on free ports, with a database, a Redis database and a
bucket of the test's own."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from benchmarks.scale_out.stack import Stack, nginx_binary
from minio import Minio
from redis.asyncio import Redis

from tests.conftest import TEST_SECRET, create_database, drop_database
from tests.served import free_port
from tests.services import REQUIRED, SKIP_MARK, S3Config

_REDIS_DBS = (13, 15, 10, 6)
"""Redis databases these tests take turns on (claimed, so two at once under ``-n 2`` never
share one; one holding keys is someone else's and is passed over): database 0's queue keys are
cleared by other tests' fixtures, 11 is the outage tests', 14 is benchmarks/scale_out.py's. A
shared database would be fatal: another stack's workers would take this one's jobs."""


def require_nginx() -> None:
    """nginx is installed by ``scripts/services.sh up``; CI (SOCIAL_REQUIRE_SERVICES=1) fails
    without it instead of skipping."""
    if nginx_binary() is None:
        message = f"nginx {SKIP_MARK} (no nginx binary: run scripts/services.sh up as root)"
        if REQUIRED:
            pytest.fail(f"SOCIAL_REQUIRE_SERVICES=1 but {message}", pytrace=False)
        pytest.skip(message)


@asynccontextmanager
async def claimed_redis_database(redis_url: str) -> AsyncIterator[str]:
    """The URL of an empty Redis database no other test uses meanwhile; emptied after."""
    admin = Redis.from_url(redis_url)
    try:
        for number in _REDIS_DBS:
            claim = f"social-scale-test:redis-db:{number}"
            url = urlunsplit(urlsplit(redis_url)._replace(path=f"/{number}"))
            own = Redis.from_url(url)
            if await admin.set(claim, "1", nx=True, ex=300):
                if await own.dbsize() == 0:
                    break
                await admin.delete(claim)
            await own.aclose()
        else:
            pytest.fail(f"Redis databases {_REDIS_DBS} are all claimed or in use by others")
        try:
            yield url
        finally:
            await own.flushdb()
            await own.aclose()
            await admin.delete(claim)
    finally:
        await admin.aclose()


def _remove_bucket(s3: S3Config, bucket: str) -> None:
    minio = Minio(s3.endpoint, s3.access_key, s3.secret_key, secure=False)
    if minio.bucket_exists(bucket):
        for item in minio.list_objects(bucket, recursive=True):
            minio.remove_object(bucket, item.object_name or "")
        minio.remove_bucket(bucket)


def _run_dir() -> Path:
    """nginx's workers run as nobody under root: its directory must be reachable by them
    (pytest's tmp_path is not)."""
    run_dir = Path(tempfile.mkdtemp(prefix="social-scale-"))
    run_dir.chmod(0o755)
    return run_dir


def _keep_logs(run_dir: Path, tmp_path: Path) -> None:
    for log in run_dir.glob("*.log"):
        shutil.copy(log, tmp_path / log.name)
    shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture
async def stack(
    postgres_server_url: str, redis_url: str, s3_config: S3Config, tmp_path: Path
) -> AsyncIterator[Stack]:
    """The stack, started; jobs of a killed worker are swept after 2 s (the heartbeat). The
    processes' logs are kept in the test's ``tmp_path`` (pytest keeps the last three runs')."""
    require_nginx()
    suffix = secrets.token_hex(4)
    database = f"social_scale_{suffix}"
    database_url = await create_database(postgres_server_url, database)
    run_dir = _run_dir()
    bucket = f"social-scale-{suffix}"
    try:
        async with claimed_redis_database(redis_url) as own_redis:
            env = {
                "SOCIAL_DATABASE_URL": database_url,
                "SOCIAL_REDIS_URL": own_redis,
                "SOCIAL_S3_ENDPOINT": s3_config.endpoint,
                "SOCIAL_S3_ACCESS_KEY": s3_config.access_key,
                "SOCIAL_S3_SECRET_KEY": s3_config.secret_key,
                "SOCIAL_S3_BUCKET": bucket,
                "SOCIAL_SECRET_KEY": TEST_SECRET.decode(),
                "SOCIAL_RATE_LIMIT_ENABLED": "false",
                "SOCIAL_LOG_LEVEL": "WARNING",
                "SOCIAL_JOB_HEARTBEAT_S": "2",
                "SOCIAL_JOB_SWEEP_S": "1",
                "SOCIAL_OUTBOX_RELAY_AFTER_S": "2",
            }
            ports = [free_port(), free_port()]
            started = Stack(env, run_dir, nginx_port=free_port(), api_ports=ports)
            try:
                await started.start()
                yield started
            finally:
                await started.stop()
    finally:
        _keep_logs(run_dir, tmp_path)
        _remove_bucket(s3_config, bucket)
        await drop_database(postgres_server_url, database)
