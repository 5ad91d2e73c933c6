"""The async engine and session factory, sized for load (see architecture.md pitfalls).

After PostgreSQL restarts (or a proxy in front of it drops its connections) every pooled
connection is dead. The pool hands out only live ones: a connection the driver already knows
to be closed is replaced at checkout, at no cost (``pool_pre_ping`` would add a round trip to
every unit of work: ~90 µs of client CPU and ~115 µs of latency measured, see
docs/operations.md, "Outages and restarts"). Failures that still reach a request (the server
went away mid-transaction, or is away) become the domain's ``Unavailable`` here (``outages.py``),
which the HTTP edge answers with 503 and ``Retry-After``.

Statements are logged without their bound values (``hide_parameters``), and PostgreSQL's
``DETAIL`` lines (``Key (email_hash)=(…)``, ``Failing row contains (…)``) are cut from driver
errors: user data and password hashes never reach the logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from advanced_alchemy.config import SQLAlchemyAsyncConfig
from advanced_alchemy.config.engine import EngineConfig
from sqlalchemy import event, exc, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from social.adapters.postgres.outages import OutagePool, translate_outage

__all__ = ["Database", "DatabaseCheck", "asyncpg_dsn", "hide_values", "without_values"]

_DETAIL = re.compile(r"\n(?:DETAIL|HINT): .*", re.DOTALL)
"""asyncpg appends the server's DETAIL and HINT to a message; they quote the row's values."""
_ARGUMENT = re.compile(r"(invalid input for query argument \$\d+): .*", re.DOTALL)
"""asyncpg's own message for a value it could not encode quotes the value."""


def asyncpg_dsn(url: str) -> str:
    """A plain asyncpg DSN for the SQLAlchemy URL the rest of the app uses
    (``postgresql+asyncpg://…``, the embedded server's unix-socket ``?host=`` form included)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def without_values(message: str) -> str:
    """A driver error message without the values it quotes: the server's DETAIL and HINT
    (``Key (…)=(…)``, ``Failing row contains (…)``) and asyncpg's encoding errors."""
    return _ARGUMENT.sub(r"\1: (value hidden)", _DETAIL.sub("", message))


def hide_values(error: BaseException) -> None:
    """Strip quoted values from a driver error in place, before anything formats it (a log
    line, a traceback, a wrapping exception's message)."""
    if getattr(error, "detail", None) or getattr(error, "hint", None):
        error.detail = error.hint = None  # type: ignore[attr-defined]  # asyncpg's fields
    if error.args and isinstance(error.args[0], str):
        error.args = (without_values(error.args[0]), *error.args[1:])


@dataclass(slots=True)
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def connect(cls, url: str, *, pool_size: int, pool_timeout_s: float) -> Database:
        """``pool_timeout_s`` bounds both the wait for a pooled connection and the making of a
        new one: a database that does not answer costs a request that long, then a 503."""
        config = SQLAlchemyAsyncConfig(
            connection_string=url,
            engine_config=EngineConfig(
                poolclass=OutagePool,  # a connection that cannot be had is ``Unavailable``
                pool_size=pool_size,
                max_overflow=0,
                pool_timeout=max(1, round(pool_timeout_s)),
                pool_pre_ping=False,  # see the module docstring: _replace_closed instead
                pool_recycle=1800,
                hide_parameters=True,
                # no parallel workers, as on the read pools (read_pool.py): one backend a
                # statement, so a busy server's cores serve requests, not worker start-ups
                connect_args={
                    "timeout": pool_timeout_s,
                    "server_settings": {"max_parallel_workers_per_gather": "0"},
                },
            ),
        )
        engine = config.get_engine()
        event.listen(engine.sync_engine, "checkout", _replace_closed)
        event.listen(engine.sync_engine, "handle_error", _hide_row_values)
        event.listen(engine.sync_engine, "handle_error", translate_outage)  # after: it raises
        return cls(engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False))

    async def close(self) -> None:
        await self.engine.dispose()


def _replace_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """A pooled connection the driver knows is closed (the server restarted, the network
    dropped it) is thrown away and the pool checks out another, up to a fresh one: no request
    ever runs on it. Costs an attribute read, no round trip."""
    if dbapi_connection.driver_connection.is_closed():
        raise exc.DisconnectionError("the pooled connection was closed by the server")


def _hide_row_values(context: ExceptionContext) -> None:
    """Strip quoted values from the driver error (and the asyncpg error it wraps) before
    SQLAlchemy wraps it; the message still names the constraint, which is what the code and an
    operator need."""
    original: BaseException | None = context.original_exception
    while original is not None:
        hide_values(original)
        original = original.__cause__


class DatabaseCheck:
    """Readiness probe: one round trip to PostgreSQL."""

    name = "database"

    def __init__(self, database: Database) -> None:
        self._database = database

    async def check(self) -> None:
        async with self._database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
