"""SAQ task functions: one per entry of the job registry, plus the periodic (cron) tasks.

A registry task decodes its arguments into the job message and runs the entry's use case; a
periodic task calls its use case directly (nothing enqueues those, so they have no message).
Every task touches its job while it runs (``heartbeating``); every call is idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from saq import CronJob
from saq.types import Context

from social.adapters.jobs.codec import decode
from social.adapters.jobs.heartbeat import heartbeating
from social.adapters.jobs.registry import DEFAULT_TIMEOUT_S, HANDLERS, Handler, UseCaseLookup
from social.adapters.jobs.retries import Retries
from social.adapters.observability.metrics import SEARCH_BACKLOG
from social.domain.accounts.purge_account_records import PurgeExpiredAccountRecords
from social.domain.accounts.purge_expired_sessions import PurgeExpiredSessions
from social.domain.activity.purge_activity import PurgeOldActivity
from social.domain.discovery.compute_suggestions import RefreshStaleSuggestions
from social.domain.lifecycle.expire_exports import ExpireDataExports
from social.domain.media.manage_media import CollectUnattachedMedia
from social.domain.search.sync_index import SyncSearchIndex
from social.domain.shared.errors import Unavailable
from social.domain.shared.forget_idempotency_keys import ForgetIdempotencyKeys

__all__ = ["CRON_JOBS", "DEFAULT_TIMEOUT_S", "JOB_RETRIES", "JOB_TIMEOUTS_S", "TASKS", "task_for"]

log = logging.getLogger(__name__)

Task = Callable[..., Coroutine[Any, Any, Any]]


def _use_cases(ctx: Context) -> UseCaseLookup:
    use_cases: UseCaseLookup = ctx["use_cases"]  # type: ignore[typeddict-item]
    return use_cases


def task_for(handler: Handler[Any, Any]) -> Task:
    """The SAQ task for one registry entry, registered under the job's name."""

    async def run(ctx: Context, /, **arguments: Any) -> object:
        return await handler.run(_use_cases(ctx), decode(handler.job, arguments))

    run.__name__ = run.__qualname__ = handler.name  # SAQ registers tasks by ``__qualname__``
    return heartbeating(run)


@heartbeating
async def purge_expired_sessions(ctx: Context) -> int:
    removed = await _use_cases(ctx).get(PurgeExpiredSessions).execute()
    log.info("purged expired refresh tokens", extra={"removed": removed})
    return removed


@heartbeating
async def purge_expired_account_records(ctx: Context) -> int:
    removed = await _use_cases(ctx).get(PurgeExpiredAccountRecords).execute()
    if removed:
        log.info("purged expired mailed tokens and username holds", extra={"removed": removed})
    return removed


@heartbeating
async def collect_unattached_media(ctx: Context) -> int:
    removed = await _use_cases(ctx).get(CollectUnattachedMedia).execute()
    if removed:
        log.info("removed unattached uploads", extra={"removed": removed})
    return removed


@heartbeating
async def sync_search_index(ctx: Context) -> int:
    """Apply the search outbox; with the index down, the changes wait for the next run."""
    sync = _use_cases(ctx).get(SyncSearchIndex)
    try:
        applied = await sync.execute()
    except Unavailable:
        log.warning("search index unavailable: its changes wait")
        return 0
    if applied:
        log.info("search index synced", extra={"changes": applied})
    SEARCH_BACKLOG.set(await sync.backlog())
    return applied


@heartbeating
async def purge_old_activity(ctx: Context) -> int:
    removed = await _use_cases(ctx).get(PurgeOldActivity).execute()
    if removed:
        log.info("deleted old activity log entries", extra={"removed": removed})
    return removed


@heartbeating
async def forget_idempotency_keys(ctx: Context) -> int:
    removed = await _use_cases(ctx).get(ForgetIdempotencyKeys).execute()
    if removed:
        log.info("forgot old idempotency keys", extra={"removed": removed})
    return removed


@heartbeating
async def expire_data_exports(ctx: Context) -> int:
    expired = await _use_cases(ctx).get(ExpireDataExports).execute()
    if expired:
        log.info("expired data exports", extra={"expired": expired})
    return expired


@heartbeating
async def refresh_stale_suggestions(ctx: Context) -> int:
    refreshed = await _use_cases(ctx).get(RefreshStaleSuggestions).execute()
    if refreshed:
        log.info("refreshed stale account suggestions", extra={"users": refreshed})
    return refreshed


@heartbeating
async def relay_outbox(ctx: Context) -> int:
    relay: Callable[[], Awaitable[int]] | None = ctx.get("relay_outbox")  # type: ignore[assignment]
    relayed = await relay() if relay is not None else 0
    if relayed:
        log.warning(
            "outbox relay queued jobs whose dispatch had not happened", extra={"relayed": relayed}
        )
    return relayed


TASKS: list[Task] = [
    *(task_for(handler) for handler in HANDLERS),
    purge_expired_sessions,
    purge_expired_account_records,
    collect_unattached_media,
    sync_search_index,
    forget_idempotency_keys,
    relay_outbox,
    purge_old_activity,
    expire_data_exports,
    refresh_stale_suggestions,
]
CRON_HEARTBEAT_S = 60
"""Cron jobs are unique: one killed mid-run must not block its next runs until its timeout."""
CRON_JOBS = [  # unique by default; relay_outbox every 15 s
    CronJob(purge_expired_sessions, cron="17 * * * *", timeout=300, heartbeat=CRON_HEARTBEAT_S),
    CronJob(
        purge_expired_account_records, cron="23 * * * *", timeout=300, heartbeat=CRON_HEARTBEAT_S
    ),
    CronJob(collect_unattached_media, cron="41 * * * *", timeout=1800, heartbeat=CRON_HEARTBEAT_S),
    CronJob(forget_idempotency_keys, cron="53 * * * *", timeout=600, heartbeat=CRON_HEARTBEAT_S),
    CronJob(sync_search_index, cron="* * * * * */2", timeout=300, heartbeat=CRON_HEARTBEAT_S),
    CronJob(relay_outbox, cron="* * * * * */15", timeout=120, heartbeat=CRON_HEARTBEAT_S),
    CronJob(purge_old_activity, cron="29 3 * * *", timeout=1800, heartbeat=CRON_HEARTBEAT_S),
    CronJob(expire_data_exports, cron="37 * * * *", timeout=600, heartbeat=CRON_HEARTBEAT_S),
    # bounded batches (RefreshStaleSuggestions); the next run carries on
    CronJob(refresh_stale_suggestions, cron="*/5 * * * *", timeout=900, heartbeat=CRON_HEARTBEAT_S),
]
JOB_TIMEOUTS_S = {handler.name: handler.timeout_s for handler in HANDLERS}
"""By job name, for enqueuing (the registry's; a job past its timeout is aborted and retried)."""
JOB_RETRIES: dict[str, Retries] = {handler.name: handler.retries for handler in HANDLERS}
"""By job name, for enqueuing: how often a failed job runs again (the registry's)."""
