"""A small asyncpg pool for the read model: a connection is held only while one statement runs.

The read paths run one or two statements a page; through SQLAlchemy each cost several times
the statement itself (session, compiled-cache keys, result processing), and a session holds
its connection from the first statement to the end of the block, across Redis calls and
Python work. Here a statement borrows a connection and gives it back at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs or py.typed

from social.adapters.postgres.database import asyncpg_dsn, hide_values
from social.domain.shared.errors import Unavailable

__all__ = ["ReadPool"]

log = logging.getLogger(__name__)

_LOST = (
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.InternalClientError,  # a protocol left mid-operation by a dead server
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    ConnectionError,
    OSError,
)
"""A connection that broke (the server restarted, a network blip) or could not be made."""


async def _keep(connection: Any) -> None:
    """Nothing to reset between statements: the read pool never changes session state (no
    ``SET``, ``LISTEN``, advisory lock or open transaction), and asyncpg's default reset is a
    round trip per statement."""


class ReadPool:
    """Runs read-only statements, each planned once per connection (generic plans), or for each
    call with ``planned_per_call`` (for statements whose best plan depends on their
    parameters). A connection the driver knows is closed is replaced when acquired (asyncpg
    checks); a statement that finds its pooled connection broken anyway (say, PostgreSQL
    restarted under it) runs once more on a newly made one; when the database really is away
    (refused, or no answer within ``acquire_timeout_s``) the caller gets ``Unavailable`` (503),
    never a driver error.

    The asyncpg pool is made at the first statement, in the event loop that runs it, and
    connects lazily: a process starts while the database is away and answers 503 until it is
    back, as its write pool does."""

    def __init__(
        self, url: str, *, size: int, acquire_timeout_s: float, planned_per_call: bool = False
    ) -> None:
        self._dsn = asyncpg_dsn(url)
        self._plans = "force_custom_plan" if planned_per_call else "force_generic_plan"
        self._size = size
        self._timeout = acquire_timeout_s
        self._pool: Any = None
        self._opening: asyncio.Lock | None = None

    async def fetch(self, sql: str, *args: object) -> Sequence[Any]:
        """The rows of one read-only statement (asyncpg ``Record``s, by column name)."""
        pool = self._pool or await self._open()
        for attempt in (1, 2):
            try:
                # asyncio.timeout, not acquire(timeout=…): on Python 3.11 the latter wraps every
                # acquire in a task of its own
                async with asyncio.timeout(self._timeout):
                    connection = await pool.acquire()
                try:
                    rows: Sequence[Any] = await connection.fetch(sql, *args)
                    return rows
                except _LOST:
                    connection.terminate()  # never handed out again
                    # the others idle beside it died with it (a restart drops them all): the
                    # retry, and every later acquire, gets a newly made connection
                    await pool.expire_connections()
                    raise
                except (asyncpg.exceptions.PostgresError, asyncpg.exceptions.DataError) as exc:
                    hide_values(exc)  # logs never get the values it quotes...
                    exc.add_note(f"[SQL: {sql}]")  # ...but the statement, as SQLAlchemy's do
                    raise
                finally:
                    await pool.release(connection)
            except TimeoutError as exc:
                raise Unavailable(
                    "The database is busy; try again shortly.", dependency="database"
                ) from exc
            except _LOST as exc:
                if attempt == 2:
                    raise Unavailable(
                        "The database is not reachable.", dependency="database"
                    ) from exc
                log.warning("read connection lost (%s); retrying on a fresh one", exc)
        raise AssertionError("unreachable")

    async def _open(self) -> Any:
        self._opening = self._opening or asyncio.Lock()
        async with self._opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._dsn,
                    min_size=0,
                    max_size=self._size,
                    # no client-side timers per statement (a timeout on each, an idle timer on
                    # each release): the server ends statements that run too long
                    max_inactive_connection_lifetime=0,
                    server_settings={
                        "statement_timeout": "30s",
                        # by default planned once per connection: key lookups plan the same
                        # for any parameters, and PostgreSQL otherwise kept re-planning some on
                        # every call (0.14 ms each, a tenth of its CPU); ``planned_per_call``
                        # for statements whose best plan depends on the parameters (a generic
                        # plan turned a 0.1 ms backward index scan into a 330 ms sort)
                        "plan_cache_mode": self._plans,
                        # no parallel workers: a generic plan guesses a tenth of the table for
                        # ``LIMIT $n`` and gathered a tag page's 21 rows from two processes (9 ms
                        # where the serial scan takes 0.8 ms); under load a page's statement
                        # should cost one backend, never three
                        "max_parallel_workers_per_gather": "0",
                    },
                    reset=_keep,
                )
        return self._pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            await asyncio.wait_for(pool.close(), timeout=5)
        except TimeoutError:
            pool.terminate()
