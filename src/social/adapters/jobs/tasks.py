"""SAQ task functions: thin adapters that call a use case with primitive arguments.

Every task may run more than once (retries, the outbox relay racing a dispatch), so each one
calls an idempotent use case.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol
from uuid import UUID

from saq import CronJob
from saq.types import Context

from social.domain.accounts.purge_account import PurgeAccount
from social.domain.accounts.purge_expired_sessions import PurgeExpiredSessions
from social.domain.media.delete_objects import DeleteStoredObjects

__all__ = ["CRON_JOBS", "TASKS", "TaskUseCases"]

log = logging.getLogger(__name__)


class TaskUseCases(Protocol):
    """What the tasks need from the composition root (put in the worker context)."""

    purge_expired_sessions: PurgeExpiredSessions
    purge_account: PurgeAccount
    delete_stored_objects: DeleteStoredObjects


def _use_cases(ctx: Context) -> TaskUseCases:
    use_cases: TaskUseCases = ctx["use_cases"]  # type: ignore[typeddict-item]
    return use_cases


async def purge_expired_sessions(ctx: Context) -> int:
    removed = await _use_cases(ctx).purge_expired_sessions.execute()
    log.info("purged expired refresh tokens", extra={"removed": removed})
    return removed


async def purge_account(ctx: Context, *, user_id: str) -> bool:
    erased = await _use_cases(ctx).purge_account.execute(UUID(user_id))
    log.info("account purge", extra={"account": user_id, "erased": erased})
    return erased


async def delete_stored_objects(ctx: Context, *, keys: list[str]) -> int:
    await _use_cases(ctx).delete_stored_objects.execute(keys)
    return len(keys)


async def relay_outbox(ctx: Context) -> int:
    relay: Callable[[], Awaitable[int]] | None = ctx.get("relay_outbox")  # type: ignore[assignment]
    relayed = await relay() if relay is not None else 0
    if relayed:
        log.warning("outbox relay queued jobs whose dispatch had not happened",
                    extra={"relayed": relayed})  # fmt: skip
    return relayed


TASKS: list[Callable[..., Coroutine[Any, Any, Any]]] = [
    purge_expired_sessions,
    purge_account,
    delete_stored_objects,
    relay_outbox,
]
CRON_JOBS = [
    CronJob(purge_expired_sessions, cron="17 * * * *", unique=True),
    CronJob(relay_outbox, cron="* * * * * */15", unique=True),  # every 15 s
]
