"""The ``social`` command: help, and ``migrate`` up and down against a real database."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import create_database, drop_database


async def _social(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "social",
        *args,
        env=os.environ | (env or {}),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_help_lists_the_commands() -> None:
    code, output = await _social("--help")
    assert code == 0
    for command in ("serve", "worker", "migrate"):
        assert command in output


async def test_bad_settings_are_a_clear_error() -> None:
    code, output = await _social("migrate", env={"SOCIAL_DATABASE_POOL_SIZE": "many"})
    assert code != 0
    assert "SOCIAL_DATABASE_POOL_SIZE" in output and "Traceback" not in output


@pytest.fixture
async def fresh_database(postgres_server_url: str) -> AsyncIterator[str]:
    name = f"social_cli_{secrets.token_hex(4)}"
    url = await create_database(postgres_server_url, name)
    try:
        yield url
    finally:
        await drop_database(postgres_server_url, name)


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
            return {row[0] for row in rows}
    finally:
        await engine.dispose()


async def test_migrate_up_and_down(fresh_database: str) -> None:
    env = {"SOCIAL_DATABASE_URL": fresh_database}
    code, output = await _social("migrate", env=env)
    assert code == 0, output
    assert {"users", "auth_sessions", "refresh_tokens", "alembic_version"} <= await _tables(
        fresh_database
    )
    code, output = await _social("migrate", "--downgrade", "--revision", "base", env=env)
    assert code == 0, output
    assert await _tables(fresh_database) == {"alembic_version"}
