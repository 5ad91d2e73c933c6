"""SAQ task functions: thin adapters that call a use case with primitive arguments.

Every task may run more than once (retries, the outbox relay racing a dispatch), so each one
calls an idempotent use case.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from types import SimpleNamespace
from typing import Any, Protocol
from uuid import UUID

from saq import CronJob
from saq.types import Context

from social.adapters.jobs.heartbeat import heartbeating
from social.adapters.observability.metrics import SEARCH_BACKLOG
from social.domain.accounts.purge_expired_sessions import PurgeExpiredSessions
from social.domain.activity.purge_activity import PurgeOldActivity
from social.domain.feed.fan_out import DropFromFeed, FanOut, RefreshFeed, RetractFromFeeds
from social.domain.lifecycle.purge_account import PurgeAccount
from social.domain.media.delete_objects import DeleteStoredObjects
from social.domain.media.manage_media import CollectUnattachedMedia, DiscardMedia
from social.domain.media.process_media import ProcessMedia
from social.domain.notifications.model import NotificationKind
from social.domain.notifications.notify import Notify, NotifyCommand, WithdrawNotifications
from social.domain.search.sync_index import SyncSearchIndex
from social.domain.shared.errors import Unavailable
from social.domain.shared.forget_idempotency_keys import ForgetIdempotencyKeys

__all__ = ["CRON_JOBS", "DEFAULT_TIMEOUT_S", "JOB_TIMEOUTS_S", "TASKS", "TaskUseCases"]

log = logging.getLogger(__name__)


class TaskUseCases(Protocol):
    """What the tasks need from the composition root (put in the worker context)."""

    purge_expired_sessions: PurgeExpiredSessions
    purge_account: PurgeAccount
    delete_stored_objects: DeleteStoredObjects
    process_media: ProcessMedia
    discard_media: DiscardMedia
    collect_unattached_media: CollectUnattachedMedia
    sync_search_index: SyncSearchIndex
    forget_idempotency_keys: ForgetIdempotencyKeys
    notify: Notify
    withdraw_notifications: WithdrawNotifications
    fan_out: FanOut
    retract_from_feeds: RetractFromFeeds
    refresh_feed: RefreshFeed
    drop_from_feed: DropFromFeed
    purge_old_activity: PurgeOldActivity


def _use_cases(ctx: Context) -> TaskUseCases:
    registry = ctx["use_cases"]  # type: ignore[typeddict-item]
    use_cases: TaskUseCases = SimpleNamespace(**registry.by_name)  # by name, as listed above
    return use_cases


@heartbeating
async def purge_expired_sessions(ctx: Context) -> int:
    removed = await _use_cases(ctx).purge_expired_sessions.execute()
    log.info("purged expired refresh tokens", extra={"removed": removed})
    return removed


@heartbeating
async def purge_account(ctx: Context, *, user_id: str) -> bool:
    erased = await _use_cases(ctx).purge_account.execute(UUID(user_id))
    log.info("account purge", extra={"account": user_id, "erased": erased})
    return erased


@heartbeating
async def delete_stored_objects(ctx: Context, *, keys: list[str]) -> int:
    await _use_cases(ctx).delete_stored_objects.execute(keys)
    return len(keys)


@heartbeating
async def process_media(ctx: Context, *, media_id: str) -> str | None:
    status = await _use_cases(ctx).process_media.execute(UUID(media_id))
    return status.value if status else None


@heartbeating
async def discard_media(ctx: Context, *, media_ids: list[str]) -> int:
    return await _use_cases(ctx).discard_media.execute([UUID(m) for m in media_ids])


@heartbeating
async def collect_unattached_media(ctx: Context) -> int:
    removed = await _use_cases(ctx).collect_unattached_media.execute()
    if removed:
        log.info("removed unattached uploads", extra={"removed": removed})
    return removed


@heartbeating
async def sync_search_index(ctx: Context) -> int:
    """Apply the search outbox; with the index down, the changes wait for the next run."""
    try:
        applied = await _use_cases(ctx).sync_search_index.execute()
    except Unavailable:
        log.warning("search index unavailable: its changes wait")
        return 0
    if applied:
        log.info("search index synced", extra={"changes": applied})
    SEARCH_BACKLOG.set(await _use_cases(ctx).sync_search_index.backlog())
    return applied


@heartbeating
async def fan_out_post(ctx: Context, *, post_id: str) -> int:
    return await _use_cases(ctx).fan_out.post(UUID(post_id))


@heartbeating
async def fan_out_share(ctx: Context, *, share_id: str) -> int:
    return await _use_cases(ctx).fan_out.share(UUID(share_id))


@heartbeating
async def retract_feed_entry(ctx: Context, *, entry_id: str, actor_id: str) -> None:
    await _use_cases(ctx).retract_from_feeds.execute(UUID(entry_id), UUID(actor_id))


@heartbeating
async def refresh_feed(ctx: Context, *, owner_id: str) -> None:
    await _use_cases(ctx).refresh_feed.execute(UUID(owner_id))


@heartbeating
async def drop_from_feed(ctx: Context, *, owner_id: str, actor_id: str) -> None:
    await _use_cases(ctx).drop_from_feed.execute(UUID(owner_id), UUID(actor_id))


def _notify_command(
    kind: str, actor_id: str, post_id: str | None, comment_id: str | None, user_id: str | None
) -> NotifyCommand:
    return NotifyCommand(
        kind=NotificationKind(kind),
        actor_id=UUID(actor_id),
        post_id=UUID(post_id) if post_id else None,
        comment_id=UUID(comment_id) if comment_id else None,
        user_id=UUID(user_id) if user_id else None,
    )


@heartbeating
async def notify(
    ctx: Context,
    *,
    kind: str,
    actor_id: str,
    post_id: str | None = None,
    comment_id: str | None = None,
    user_id: str | None = None,
) -> int:
    command = _notify_command(kind, actor_id, post_id, comment_id, user_id)
    return await _use_cases(ctx).notify.execute(command)


@heartbeating
async def withdraw_notifications(
    ctx: Context,
    *,
    kind: str,
    actor_id: str,
    post_id: str | None = None,
    comment_id: str | None = None,
    user_id: str | None = None,
) -> int:
    command = _notify_command(kind, actor_id, post_id, comment_id, user_id)
    return await _use_cases(ctx).withdraw_notifications.execute(command)


@heartbeating
async def purge_old_activity(ctx: Context) -> int:
    removed = await _use_cases(ctx).purge_old_activity.execute()
    if removed:
        log.info("deleted old activity log entries", extra={"removed": removed})
    return removed


@heartbeating
async def forget_idempotency_keys(ctx: Context) -> int:
    removed = await _use_cases(ctx).forget_idempotency_keys.execute()
    if removed:
        log.info("forgot old idempotency keys", extra={"removed": removed})
    return removed


@heartbeating
async def relay_outbox(ctx: Context) -> int:
    relay: Callable[[], Awaitable[int]] | None = ctx.get("relay_outbox")  # type: ignore[assignment]
    relayed = await relay() if relay is not None else 0
    if relayed:
        log.warning(
            "outbox relay queued jobs whose dispatch had not happened", extra={"relayed": relayed}
        )
    return relayed


TASKS: list[Callable[..., Coroutine[Any, Any, Any]]] = [
    purge_expired_sessions,
    purge_account,
    delete_stored_objects,
    process_media,
    discard_media,
    collect_unattached_media,
    sync_search_index,
    forget_idempotency_keys,
    notify,
    withdraw_notifications,
    fan_out_post,
    fan_out_share,
    retract_feed_entry,
    refresh_feed,
    drop_from_feed,
    relay_outbox,
    purge_old_activity,
]
CRON_HEARTBEAT_S = 60
"""Cron jobs are unique: one killed mid-run must not block its next runs until its timeout."""
CRON_JOBS = [  # unique by default; relay_outbox every 15 s
    CronJob(purge_expired_sessions, cron="17 * * * *", timeout=300, heartbeat=CRON_HEARTBEAT_S),
    CronJob(collect_unattached_media, cron="41 * * * *", timeout=1800, heartbeat=CRON_HEARTBEAT_S),
    CronJob(forget_idempotency_keys, cron="53 * * * *", timeout=600, heartbeat=CRON_HEARTBEAT_S),
    CronJob(sync_search_index, cron="* * * * * */2", timeout=300, heartbeat=CRON_HEARTBEAT_S),
    CronJob(relay_outbox, cron="* * * * * */15", timeout=120, heartbeat=CRON_HEARTBEAT_S),
    CronJob(purge_old_activity, cron="29 3 * * *", timeout=1800, heartbeat=CRON_HEARTBEAT_S),
]
JOB_TIMEOUTS_S = {
    "process_media": 1200,  # a 3-minute video transcode on one slow core, with margin
    "purge_account": 1800,
    "discard_media": 300,
    "fan_out_post": 600,  # up to the fan-out threshold of followers, a batch a round trip
    "fan_out_share": 600,
    "retract_feed_entry": 600,
}
"""SAQ's default timeout is 10 s; a job past its timeout is aborted and retried."""
DEFAULT_TIMEOUT_S = 60
