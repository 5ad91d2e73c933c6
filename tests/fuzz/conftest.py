"""Fixtures for the fuzzers: a populated world per module, and the app serving it."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from social.app import create_app
from tests.fuzz.harness import fuzz_settings, populated_world, serving
from tests.fuzz.world import World
from tests.services import S3Config, forget_redis_state, remove_bucket_and_indices


@pytest.fixture(scope="module")
def fuzz_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
async def world(database_url: str, fuzz_data_dir: Path) -> AsyncIterator[World]:
    """Accounts, posts, comments, media, reports, clients; the database is emptied after."""
    async for built in populated_world(database_url, fuzz_data_dir):
        yield built


@pytest.fixture(scope="module")
def served(database_url: str, fuzz_data_dir: Path, world: World) -> Iterator[World]:
    """The app (rate limits off, no job worker) serving the world, for the module's tests."""
    serving(create_app(fuzz_settings(database_url, fuzz_data_dir)))
    yield world
    serving(None)


@pytest.fixture(scope="module")
async def production_overrides(
    redis_url: str, s3_config: S3Config, opensearch_url: str
) -> AsyncIterator[dict[str, Any]]:
    """Settings that put every port on its production service (Redis, MinIO, OpenSearch), in a
    bucket and indices of their own, removed after the module with the Redis keys it left."""
    suffix = secrets.token_hex(4)
    overrides: dict[str, Any] = {
        "environment": "production",
        "redis_url": redis_url,
        "s3_endpoint": s3_config.endpoint,
        "s3_access_key": s3_config.access_key,
        "s3_secret_key": s3_config.secret_key,
        "s3_bucket": f"social-fuzz-{suffix}",
        "opensearch_url": opensearch_url,
        "opensearch_index_prefix": f"social-fuzz-{suffix}",
        "run_worker_in_process": False,
    }
    try:
        yield overrides
    finally:
        await forget_redis_state(redis_url)
        await remove_bucket_and_indices(
            s3_config, overrides["s3_bucket"], opensearch_url, overrides["opensearch_index_prefix"]
        )
