"""How the fuzzers reach the app: in process, on Schemathesis's ASGI transport, on a real database.

The transport runs every application on one event loop in a thread of its own, starts an
application's lifespan on its first request, and (its pytest plugin) ends every lifespan after
each test. So the app under test is restarted for each test, against the same database, which
keeps the world built once per module: accounts, media processed by the worker, posts.

``FORWARD`` is the one ASGI application the transport ever sees (the schema is bound to it at
collection, before any fixture runs); a fixture points it at the app of the moment.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

from litestar import Litestar
from litestar.types import Receive, Scope, Send
from schemathesis.python import asgi
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.adapters.postgres.schema import metadata
from social.app import create_app
from social.domain.shared.identity import Role
from social.settings import Settings
from tests.api.conftest import api_settings
from tests.fuzz.world import World, build_world

__all__ = ["FORWARD", "Forward", "client", "populated_world", "serving"]


class Forward:
    """An ASGI application that hands every scope (lifespan included) to ``target``."""

    def __init__(self) -> None:
        self.target: Litestar | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.target is not None, "no app is being served (use the fixtures)"
        await self.target(scope, receive, send)


FORWARD = Forward()


def client() -> asgi.ASGIClient:
    """A ``requests`` session on the served app (its lifespan starts with the first request)."""
    # The transport types ASGI with plain dicts, Litestar with TypedDicts: the same messages.
    return asgi.get_client(cast("asgi.ASGIApp", FORWARD))


def serving(app: Litestar | None) -> None:
    """Stop whatever app is running and serve ``app`` from the next request on."""
    asgi.shutdown_lifespans()
    FORWARD.target = app


def fuzz_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    """The API test settings; rate limits off (fuzzing must meet the handlers, not 429)."""
    values: dict[str, Any] = {"rate_limit_enabled": False} | overrides
    return api_settings(database_url, data_dir, **values)


async def _empty(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with database.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} CASCADE"))


async def populated_world(database_url: str, data_dir: Path) -> AsyncIterator[World]:
    """Build the world with an app whose job worker processes its media, then stop that app.

    The database is emptied before (whatever an earlier failure left) and after.
    """
    database = Database.connect(database_url, pool_size=2, pool_timeout_s=10)
    loop = asyncio.get_running_loop()

    def make_admin(username: str) -> None:
        async def update() -> None:
            async with database.engine.begin() as connection:
                await connection.execute(
                    text("UPDATE users SET role = :role WHERE username = :name"),
                    {"role": Role.ADMIN.value, "name": username},
                )

        asyncio.run_coroutine_threadsafe(update(), loop).result(timeout=60)

    def build() -> World:
        serving(create_app(fuzz_settings(database_url, data_dir, run_worker_in_process=True)))
        try:
            with client() as session:
                return build_world(session, make_admin)
        finally:
            serving(None)

    try:
        await _empty(database)
        yield await asyncio.to_thread(build)
    finally:
        await _empty(database)
        await database.close()
