"""Media storage and search: each on its service when one is configured (MinIO/S3,
OpenSearch), else on the local disk and in PostgreSQL. Either way the app starts while the
service is down: readiness reports it, and requests that need it answer 503."""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack

from social.adapters.postgres.database import Database
from social.adapters.search.opensearch_index import OpenSearchCheck, OpenSearchIndex
from social.adapters.search.postgres_index import PostgresSearchCheck, PostgresSearchIndex
from social.adapters.security.keys import KeyRing
from social.adapters.storage.local_disk import LocalDiskCheck, LocalDiskMediaStorage
from social.adapters.storage.minio_storage import MinioCheck, MinioMediaStorage
from social.domain.media.ports import MediaStorage
from social.domain.search.ports import SearchIndex
from social.domain.shared.errors import Unavailable
from social.domain.shared.ports import DependencyCheck
from social.settings import Settings

__all__ = ["open_search", "open_storage"]

log = logging.getLogger(__name__)


async def open_storage(
    settings: Settings, keys: KeyRing, stack: AsyncExitStack, checks: list[DependencyCheck]
) -> tuple[MediaStorage, LocalDiskMediaStorage | None]:
    """The media storage the settings name (MinIO/S3 or the local disk), opened on ``stack``;
    the second item is set when it is the local disk (the app then serves its files)."""
    if settings.services.s3_endpoint:
        minio = MinioMediaStorage(
            endpoint=settings.services.s3_endpoint,
            access_key=settings.services.s3_access_key,
            secret_key=settings.services.s3_secret_key,
            bucket=settings.services.s3_bucket,
            secure=settings.services.s3_secure,
            region=settings.services.s3_region,
            public_endpoint=settings.services.s3_public_endpoint,
        )
        stack.push_async_callback(minio.close)
        checks.append(MinioCheck(minio))
        try:
            await minio.ensure_bucket()
        except Unavailable:  # start anyway: uploads answer 503, readiness says "storage"
            log.warning("MinIO is not reachable at start-up; the bucket is checked when it is")
            waiting = asyncio.create_task(_ensure_bucket_when_back(minio))
            stack.push_async_callback(_cancelled, waiting)
        return minio, None
    local = LocalDiskMediaStorage(
        settings.process.media_dir, base_url=settings.base_url, signing_key=keys.url_signing_key
    )
    stack.push_async_callback(local.close)
    checks.append(LocalDiskCheck(local))
    return local, local


async def _ensure_bucket_when_back(minio: MinioMediaStorage, every_s: float = 5.0) -> None:
    """The bucket made (or found) once MinIO answers again, as start-up would have."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await minio.ensure_bucket()
        except Unavailable:
            continue
        log.info("MinIO reachable again; bucket ready")
        return


async def _cancelled(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def open_search(
    settings: Settings, database: Database, stack: AsyncExitStack, checks: list[DependencyCheck]
) -> SearchIndex:
    if settings.services.opensearch_url:
        index = OpenSearchIndex(
            settings.services.opensearch_url,
            index_name=f"{settings.services.opensearch_index_prefix}-{settings.services.search_index_name}",
        )
        stack.push_async_callback(index.close)
        checks.append(OpenSearchCheck(index))
        try:
            await index.ensure_index()
        except Exception:  # the API still starts; readiness reports search as down
            log.warning("OpenSearch is not reachable at start-up", exc_info=True)
        return index
    pg_index = PostgresSearchIndex(database.sessions)
    checks.append(PostgresSearchCheck(pg_index))
    return pg_index
