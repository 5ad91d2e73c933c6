"""A failing statement is logged with its SQL but without its values: neither the bound
parameters nor PostgreSQL's DETAIL lines (``Key (…)=(…)``, ``Failing row contains (…)``), which
quote user data and password hashes, reach the log; on the write engine (SQLAlchemy) and the read
pool (asyncpg) alike, through the HTTP error handler that logs them."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

import pytest
from litestar import Litestar, get
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from social.adapters.http.errors import exception_handlers
from social.adapters.observability.logs import JsonFormatter
from social.adapters.postgres.database import Database
from social.adapters.postgres.outages import is_outage
from social.adapters.postgres.read_pool import ReadPool

NAME = "alice-private-name"
SECRET = "hunter2secret"  # one word: messages quote values only up to a limit, or a token
HASH = "$argon2id$v=19$m=32768,t=2,p=1$c2VjcmV0LXNhbHQ$secret-password-hash"

_TABLE = (
    "CREATE TEMP TABLE accounts (name text PRIMARY KEY, password_hash text NOT NULL,"
    " role text NOT NULL)"
)
_INSERT = "INSERT INTO accounts (name, password_hash, role) VALUES (:name, :hash, :role)"


async def _duplicate_key(database: Database) -> None:
    async with database.sessions() as session:
        await session.execute(text(_TABLE))
        values = {"name": NAME, "hash": HASH, "role": "user"}
        await session.execute(text(_INSERT), values)
        await session.execute(text(_INSERT), values)  # DETAIL: Key (name)=(…) already exists


async def _failing_row(database: Database) -> None:
    async with database.sessions() as session:
        await session.execute(text(_TABLE))
        # DETAIL: Failing row contains (<name>, <hash>, null)
        await session.execute(text(_INSERT), {"name": NAME, "hash": HASH, "role": None})


async def _value_not_encodable(database: Database) -> None:
    async with database.sessions() as session:
        await session.execute(text("SELECT CAST(:n AS integer) + 1"), {"n": HASH})


@pytest.fixture
def json_logs(caplog: pytest.LogCaptureFixture) -> Callable[[], str]:
    """Everything logged, as the JSON lines the service writes."""
    caplog.set_level(logging.WARNING)
    formatter = JsonFormatter()
    return lambda: "\n".join(formatter.format(record) for record in caplog.records)


async def _logged_by_the_api(failing: Callable[[], Awaitable[object]]) -> int:
    """The status a route whose statement fails answers (its error handler logs it)."""

    @get("/fail")
    async def fail() -> None:
        await failing()

    app = Litestar([fail], exception_handlers=exception_handlers(is_outage), logging_config=None)
    async with AsyncTestClient(app=app) as client:
        return (await client.get("/fail")).status_code


async def _on_the_write_engine(
    database_url: str, failure: Callable[[Database], Awaitable[None]]
) -> None:
    """Made in the app's own event loop (the test client runs it in a thread of its own)."""
    database = Database.connect(database_url, pool_size=1, pool_timeout_s=5)
    try:
        await failure(database)
    finally:
        await database.close()


@pytest.mark.parametrize("failure", [_duplicate_key, _failing_row, _value_not_encodable])
async def test_the_write_engine_logs_the_statement_without_its_values(
    database_url: str,
    json_logs: Callable[[], str],
    failure: Callable[[Database], Awaitable[None]],
) -> None:
    assert await _logged_by_the_api(lambda: _on_the_write_engine(database_url, failure)) == 500
    logged = json_logs()
    assert "accounts" in logged or "CAST" in logged  # the statement is there...
    assert NAME not in logged  # ...its values are not
    assert "secret-password-hash" not in logged
    assert "Failing row" not in logged


async def _on_the_read_pool(database_url: str, sql: str, *arguments: object) -> None:
    pool = ReadPool(database_url, size=1, acquire_timeout_s=5)
    try:
        await pool.fetch(sql, *arguments)
    finally:
        await pool.close()


async def test_the_read_pool_logs_the_statement_without_its_values(
    database_url: str, json_logs: Callable[[], str]
) -> None:
    for sql, value in (
        ("SELECT $1::int + 1", SECRET),  # asyncpg quotes a value it cannot encode
        ("SELECT $1::text::jsonb", SECRET),  # DETAIL: Token "<value>" is invalid.
    ):
        failing = functools.partial(_on_the_read_pool, database_url, sql, value)
        assert await _logged_by_the_api(failing) == 500
    logged = json_logs()
    assert "jsonb" in logged  # the statement is there, its value is not
    assert SECRET not in logged
