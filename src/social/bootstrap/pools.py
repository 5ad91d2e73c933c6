"""One process's database pools: the write pool behind units of work, and the read pools of
the read model."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta

from social.adapters.postgres.database import Database
from social.adapters.postgres.outbox import OutboxEntry, relay_outbox
from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.totp_secret_cipher import TotpSecretCipher
from social.domain.shared.clock import Clock
from social.settings import Settings

__all__ = ["Pools", "open_pools"]


@dataclass(frozen=True, slots=True)
class Pools:
    """One process's database pools: units of work (transactions) and the read model."""

    database: Database
    reads: ReadPool
    planned: ReadPool
    """Statements planned for each call (their best plan depends on the parameters)."""
    uow: Callable[[], SqlaUnitOfWork]
    relay: Callable[[], Awaitable[int]]


def open_pools(
    settings: Settings,
    url: str,
    stack: AsyncExitStack,
    *,
    write_size: int,
    read_size: int,
    cipher: EmailCipher,
    clock: Clock,
    dispatch: Callable[[Sequence[OutboxEntry]], Awaitable[None]],
    totp_cipher: TotpSecretCipher | None = None,
) -> Pools:
    database = Database.connect(
        url, pool_size=write_size, pool_timeout_s=settings.services.database_pool_timeout_s
    )
    stack.push_async_callback(database.close)
    reads = ReadPool(
        url, size=read_size, acquire_timeout_s=settings.services.database_pool_timeout_s
    )
    stack.push_async_callback(reads.close)
    planned = ReadPool(
        url,
        size=max(1, read_size // 2),
        acquire_timeout_s=settings.services.database_pool_timeout_s,
        planned_per_call=True,
    )
    stack.push_async_callback(planned.close)

    def uow() -> SqlaUnitOfWork:
        return SqlaUnitOfWork(
            database.sessions, cipher, dispatch=dispatch, clock=clock, totp_cipher=totp_cipher
        )

    async def relay() -> int:
        older = timedelta(seconds=settings.jobs.outbox_relay_after_s)
        return await relay_outbox(database.sessions, dispatch, now=clock.now(), older_than=older)

    return Pools(database, reads, planned, uow, relay)
