"""The read pool against a real PostgreSQL: connections broken under it (a server restart
looks like this to a client) cost a retry, never an error; a database that is away is
``Unavailable`` (a 503), never a driver error."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]
import pytest

from social.adapters.postgres.database import asyncpg_dsn
from social.adapters.postgres.read_pool import ReadPool
from social.domain.shared.errors import Unavailable


async def test_a_broken_connection_is_retried_on_a_fresh_one(database_url: str) -> None:
    pool = ReadPool(database_url, size=2, acquire_timeout_s=5)
    try:
        before = await pool.fetch("SELECT pg_backend_pid()")
        admin = await asyncpg.connect(asyncpg_dsn(database_url))
        try:
            killed = await admin.fetchval("SELECT pg_terminate_backend($1)", before[0][0])
        finally:
            await admin.close()
        assert killed
        after = await pool.fetch("SELECT pg_backend_pid()")  # the dead one first, then a new one
        assert after[0][0] != before[0][0]
        assert (await pool.fetch("SELECT $1::int + 1", 41))[0][0] == 42
    finally:
        await pool.close()


async def test_a_database_that_is_away_is_unavailable() -> None:
    pool = ReadPool("postgresql+asyncpg://postgres@127.0.0.1:1/none", size=1, acquire_timeout_s=1)
    try:
        with pytest.raises(Unavailable):
            await pool.fetch("SELECT 1")
    finally:
        await pool.close()


async def test_statements_are_planned_as_asked(database_url: str) -> None:
    generic = ReadPool(database_url, size=1, acquire_timeout_s=5)
    per_call = ReadPool(database_url, size=1, acquire_timeout_s=5, planned_per_call=True)
    try:
        assert (await generic.fetch("SHOW plan_cache_mode"))[0][0] == "force_generic_plan"
        assert (await per_call.fetch("SHOW plan_cache_mode"))[0][0] == "force_custom_plan"
        assert (await generic.fetch("SHOW statement_timeout"))[0][0] == "30s"
    finally:
        await generic.close()
        await per_call.close()
