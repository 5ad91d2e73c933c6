"""``open_adapters``: every adapter the settings ask for, connected, and closed in reverse."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace

from social.adapters.faces.postgres_references import PostgresFaceReferences
from social.adapters.jobs.saq_queue import SaqJobQueue, SaqQueueCheck, saq_url
from social.adapters.postgres.activity import BufferedActivityLog
from social.adapters.postgres.database import DatabaseCheck
from social.adapters.postgres.feed_source import AsyncpgFeedSource
from social.adapters.postgres.listings import AsyncpgListings
from social.adapters.postgres.outbox import OutboxEntry
from social.adapters.postgres.overlay import AsyncpgViewerOverlay
from social.adapters.postgres.search_changes import PostgresSearchSyncPause
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.adapters.security.totp_secret_cipher import TotpSecretCipher
from social.bootstrap.adapters import Adapters, AppUnitOfWork
from social.bootstrap.caches import app_grant_lookup, presented_views, session_lookup
from social.bootstrap.database import prepare_database
from social.bootstrap.faces import open_faces
from social.bootstrap.mail import open_mailer
from social.bootstrap.pools import open_pools
from social.bootstrap.processing import build_hasher, build_token_issuer, open_media_processors
from social.bootstrap.push import open_push
from social.bootstrap.services import open_search, open_storage
from social.bootstrap.shared_state import open_shared_state
from social.domain.activity.model import ActivityEntry
from social.domain.shared.clock import SystemClock
from social.domain.shared.ports import DependencyCheck
from social.settings import Settings

__all__ = ["open_adapters"]


@asynccontextmanager
async def open_adapters(settings: Settings) -> AsyncIterator[Adapters]:
    """Connect every adapter the settings ask for; close them all on exit."""
    async with AsyncExitStack() as stack:
        keys = KeyRing.from_settings(settings)
        url = await prepare_database(settings, stack)
        cipher = EmailCipher(keys)
        clock = SystemClock()
        job_queue = SaqJobQueue.from_url(
            saq_url(settings.services.redis_url, url), heartbeat_s=settings.jobs.job_heartbeat_s
        )

        async def dispatch(entries: Sequence[OutboxEntry]) -> None:
            for entry in entries:  # the entry id dedupes a relay racing this dispatch
                await job_queue.enqueue_once(str(entry.id), entry.job, entry.arguments)

        pools = open_pools(
            settings,
            url,
            stack,
            write_size=settings.services.database_pool_size,
            read_size=settings.services.database_read_pool_size,
            cipher=cipher,
            clock=clock,
            dispatch=dispatch,
            totp_cipher=TotpSecretCipher(keys),
        )
        database, uow = pools.database, pools.uow
        checks: list[DependencyCheck] = [DatabaseCheck(database)]
        shared = open_shared_state(settings, stack, checks)
        storage, local_media = await open_storage(settings, keys, stack, checks)
        search = await open_search(settings, database, stack, checks)

        await job_queue.connect()
        stack.push_async_callback(job_queue.close)
        checks.append(SaqQueueCheck(job_queue))
        activity = _open_activity_log(settings, uow, stack)

        hasher = build_hasher(settings)
        stack.callback(hasher.close)
        images, videos = open_media_processors(settings, stack)
        push, push_guard = await open_push(settings, stack)
        face_engine, face_index = await open_faces(settings, database, stack)
        adapters = Adapters(
            settings=settings,
            clock=clock,
            uow=uow,
            hasher=hasher,
            tokens=build_token_issuer(settings, keys),
            sessions=session_lookup(settings, pools.reads, shared.redis, clock, stack),
            storage=storage,
            search=search,
            jobs=job_queue,
            rate_limiter=shared.rate_limiter,
            images=images,
            videos=videos,
            feeds=shared.feeds,
            feed_source=AsyncpgFeedSource(pools.reads),
            overlay=AsyncpgViewerOverlay(pools.reads),
            views=presented_views(settings, pools.reads, storage, shared.feed_redis),
            listings=AsyncpgListings(pools.reads, planned=pools.planned),
            search_pause=PostgresSearchSyncPause(database.engine),
            stream=shared.stream,
            activity=activity,
            mailer=open_mailer(settings),
            app_grants=app_grant_lookup(settings, pools.reads, clock),
            push=push,
            push_guard=push_guard,
            face_engine=face_engine,
            face_index=face_index,
            face_references=PostgresFaceReferences(database.sessions),
            checks=checks,
            local_media=local_media,
            job_queue=job_queue,
            relay_outbox=pools.relay,
        )
        if settings.in_process_worker:
            jobs = open_pools(
                settings,
                url,
                stack,
                write_size=settings.services.database_job_pool_size,
                read_size=max(1, settings.services.database_job_pool_size // 2),
                cipher=cipher,
                clock=clock,
                dispatch=dispatch,
                totp_cipher=TotpSecretCipher(keys),
            )
            adapters.job_adapters = replace(
                adapters,
                uow=jobs.uow,
                feed_source=AsyncpgFeedSource(jobs.reads),
                overlay=AsyncpgViewerOverlay(jobs.reads),
                listings=AsyncpgListings(jobs.reads, planned=jobs.planned),
                views=presented_views(settings, jobs.reads, storage, shared.feed_redis),
                relay_outbox=jobs.relay,
            )
        yield adapters


def _open_activity_log(
    settings: Settings, uow: Callable[[], AppUnitOfWork], stack: AsyncExitStack
) -> BufferedActivityLog:
    """The activity log's writer, flushing in the background until the stack closes (before
    the database it writes to)."""

    async def write(entries: Sequence[ActivityEntry]) -> None:
        async with uow() as work:
            await work.activity.add_many(entries)
            await work.commit()

    activity = BufferedActivityLog(
        write,
        max_entries=settings.activity.activity_buffer_size,
        batch_size=settings.activity.activity_batch_size,
        interval_s=settings.activity.activity_flush_interval_s,
    )
    activity.start()
    stack.push_async_callback(activity.close)
    return activity
