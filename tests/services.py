"""Which real services the test run may use, taken from ``SOCIAL_TEST_*`` variables.

``scripts/services.sh up`` starts them all and writes the variables to ``.services/env``.
Without a variable a service's tests skip (one loud summary line names them); with
``SOCIAL_REQUIRE_SERVICES=1`` (CI) a missing service fails those tests instead.
PostgreSQL is never missing: without ``SOCIAL_TEST_DATABASE_URL`` the suite starts an embedded
one (the ``pgserver`` binaries), exactly as ``social serve`` does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from minio import Minio
from opensearchpy import AsyncOpenSearch
from redis.asyncio import Redis

__all__ = [
    "REQUIRED",
    "SKIP_MARK",
    "S3Config",
    "forget_redis_state",
    "remove_bucket_and_indices",
    "require_env",
]

REQUIRED = os.environ.get("SOCIAL_REQUIRE_SERVICES", "") == "1"
SKIP_MARK = "not configured"


def require_env(service: str, *variables: str) -> dict[str, str]:
    """The service's variables, or skip (fail under ``SOCIAL_REQUIRE_SERVICES=1``) the test."""
    values = {name: os.environ.get(name, "") for name in variables}
    missing = [name for name, value in values.items() if not value]
    if missing:
        message = f"{service} {SKIP_MARK} ({', '.join(missing)} unset)"
        if REQUIRED:
            pytest.fail(f"SOCIAL_REQUIRE_SERVICES=1 but {message}", pytrace=False)
        pytest.skip(message)
    return values


@dataclass(frozen=True, slots=True)
class S3Config:
    endpoint: str
    access_key: str
    secret_key: str


async def forget_redis_state(redis_url: str) -> None:
    """Rate-limit windows and queued jobs left by other tests of this run (their databases are
    gone: a worker of this test must not pick their jobs up)."""
    redis = Redis.from_url(redis_url)
    try:
        for pattern in ("social:rl:*", "saq:*"):
            async for key in redis.scan_iter(pattern):
                await redis.delete(key)
    finally:
        await redis.aclose()


async def remove_bucket_and_indices(
    s3: S3Config, bucket: str, opensearch_url: str, index_prefix: str
) -> None:
    """What a test's own bucket and search indices held, and they themselves."""
    minio = Minio(s3.endpoint, s3.access_key, s3.secret_key, secure=False)
    if minio.bucket_exists(bucket):
        for item in minio.list_objects(bucket, recursive=True):
            minio.remove_object(bucket, item.object_name or "")
        minio.remove_bucket(bucket)
    search = AsyncOpenSearch(opensearch_url)
    await search.indices.delete(index=f"{index_prefix}-*", ignore=[404])
    await search.close()
