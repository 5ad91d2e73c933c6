"""The migration stairway: every revision goes up, down and up again on a real PostgreSQL,
and the head schema matches the ORM tables exactly."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from social.adapters.postgres import migrations
from social.adapters.postgres.schema import metadata
from tests.conftest import create_database, drop_database


@pytest.fixture
async def empty_database(postgres_server_url: str) -> AsyncIterator[str]:
    name = f"social_stairway_{secrets.token_hex(4)}"
    url = await create_database(postgres_server_url, name)
    try:
        yield url
    finally:
        await drop_database(postgres_server_url, name)


def _walk(url: str) -> list[str]:
    steps = []
    previous = "base"
    for revision in migrations.revisions():
        migrations.upgrade(url, revision)
        migrations.downgrade(url, previous)
        migrations.upgrade(url, revision)
        steps.append(revision)
        previous = revision
    return steps


async def test_every_revision_goes_up_and_down(empty_database: str) -> None:
    steps = await asyncio.to_thread(_walk, empty_database)
    assert steps and steps[0] == "0001"
    await asyncio.to_thread(migrations.downgrade, empty_database, "base")
    await asyncio.to_thread(migrations.upgrade, empty_database)


async def test_head_schema_matches_the_orm(empty_database: str) -> None:
    await asyncio.to_thread(migrations.upgrade, empty_database)
    engine = create_async_engine(empty_database)

    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(diff)
    finally:
        await engine.dispose()
    assert differences == []
