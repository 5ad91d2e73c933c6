"""SAQ task functions: thin adapters that call a use case with primitive arguments."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from saq import CronJob
from saq.types import Context

from social.domain.accounts.purge_expired_sessions import PurgeExpiredSessions

__all__ = ["CRON_JOBS", "TASKS", "TaskUseCases"]

log = logging.getLogger(__name__)


class TaskUseCases(Protocol):
    """What the tasks need from the composition root (put in the worker context)."""

    purge_expired_sessions: PurgeExpiredSessions


def _use_cases(ctx: Context) -> TaskUseCases:
    use_cases: TaskUseCases = ctx["use_cases"]  # type: ignore[typeddict-item]
    return use_cases


async def purge_expired_sessions(ctx: Context) -> int:
    removed = await _use_cases(ctx).purge_expired_sessions.execute()
    log.info("purged expired refresh tokens", extra={"removed": removed})
    return removed


TASKS: list[Callable[..., Coroutine[Any, Any, Any]]] = [purge_expired_sessions]
CRON_JOBS = [CronJob(purge_expired_sessions, cron="17 * * * *", unique=True)]
