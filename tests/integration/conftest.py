"""The production composition for integration tests: every port on its real service, and the
``social worker`` command as a real process beside the app."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from social.adapters.postgres.database import Database
from social.settings import Settings
from tests.api.conftest import api_settings
from tests.services import S3Config, forget_redis_state, remove_bucket_and_indices

__all__ = ["WorkerProcess", "start_worker", "worker_environment"]


@pytest.fixture
async def production(
    database: Database,
    database_url: str,
    redis_url: str,
    s3_config: S3Config,
    opensearch_url: str,
    tmp_path: Path,
) -> AsyncIterator[Settings]:
    """Every service configured; ``database`` empties the tables after each test."""
    suffix = secrets.token_hex(4)
    settings = api_settings(
        database_url,
        tmp_path,
        environment="production",
        redis_url=redis_url,
        s3_endpoint=s3_config.endpoint,
        s3_access_key=s3_config.access_key,
        s3_secret_key=s3_config.secret_key,
        s3_bucket=f"social-test-{suffix}",
        opensearch_url=opensearch_url,
        opensearch_index_prefix=f"social-test-{suffix}",
        rate_limit_login=4,
    )
    await forget_redis_state(redis_url)
    yield settings
    await forget_redis_state(redis_url)
    await remove_bucket_and_indices(
        s3_config,
        settings.services.s3_bucket,
        opensearch_url,
        settings.services.opensearch_index_prefix,
    )


def worker_environment(settings: Settings, **extra: str) -> dict[str, str]:
    """The ``SOCIAL_*`` variables that make a ``social`` process use the same services."""
    return (
        dict(os.environ)
        | {
            "SOCIAL_DATABASE_URL": settings.services.database_url,
            "SOCIAL_REDIS_URL": settings.services.redis_url,
            "SOCIAL_S3_ENDPOINT": settings.services.s3_endpoint,
            "SOCIAL_S3_ACCESS_KEY": settings.services.s3_access_key,
            "SOCIAL_S3_SECRET_KEY": settings.services.s3_secret_key,
            "SOCIAL_S3_BUCKET": settings.services.s3_bucket,
            "SOCIAL_OPENSEARCH_URL": settings.services.opensearch_url,
            "SOCIAL_OPENSEARCH_INDEX_PREFIX": settings.services.opensearch_index_prefix,
            "SOCIAL_SECRET_KEY": settings.process.secret_key,
            "SOCIAL_DATA_DIR": str(settings.process.data_dir),
        }
        | {f"SOCIAL_{name.upper()}": value for name, value in extra.items()}
    )


class WorkerProcess:
    """A ``social worker`` child whose output is read as it comes: a pipe nobody reads fills
    (64 KiB) and then blocks the worker mid-log, which hangs the test waiting for its jobs."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._output = bytearray()
        self._drain = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        while chunk := await stream.read(65536):
            self._output += chunk

    @property
    def returncode(self) -> int | None:
        return self._process.returncode

    def send_signal(self, signal_number: int) -> None:
        self._process.send_signal(signal_number)

    def kill(self) -> None:
        self._process.kill()

    async def wait(self) -> int:
        return await self._process.wait()

    async def communicate(self) -> tuple[bytes, None]:
        """Wait for the exit; everything the worker wrote (stdout and stderr together)."""
        await self._process.wait()
        await self._drain
        return bytes(self._output), None


async def start_worker(settings: Settings, **extra: str) -> WorkerProcess:
    """``python -m social worker`` on the test's services; stdout and stderr read together."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "social",
        "worker",
        env=worker_environment(settings, **extra),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    return WorkerProcess(process)
