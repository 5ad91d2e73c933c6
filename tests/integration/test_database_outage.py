"""PostgreSQL restarting or away, as the app sees it, on the real server behind a cuttable TCP
forwarder (the shared server itself is never stopped): while it is away every request that needs
it answers 503 problem+json with ``Retry-After``; once it is back the very next request
succeeds, on the write pool (units of work) and the read pool alike, whatever stale connections
the pools held; no write a client was told succeeded is lost."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from social.adapters.postgres.database import Database, asyncpg_dsn
from social.app import create_app
from social.settings import Settings
from tests.api.conftest import PASSWORD, Api, api_settings, bearer
from tests.tcp_proxy import TcpProxy


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    target = make_url(database_url)
    forwarder = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
    await forwarder.start()
    yield forwarder
    await forwarder.close()


def behind(database_url: str, port: int) -> str:
    """The test database's URL, reached through a local port instead."""
    url = make_url(database_url).set(host="127.0.0.1", port=port)
    return url.render_as_string(hide_password=False)


def outage_settings(database_url: str, tmp_path: Path, **extra: Any) -> Settings:
    """Small pools (so a burst of requests uses every connection) and short waits."""
    values: dict[str, Any] = {
        "database_pool_size": 3,
        "database_read_pool_size": 4,
        "database_pool_timeout_s": 2.0,
        "session_cache_ttl_s": 0.001,  # every request asks the read pool about its session
    }
    return api_settings(database_url, tmp_path, **(values | extra))


class Traffic:
    """Requests that need PostgreSQL: writes (units of work on the write pool) and reads (the
    read pool), each new, so no cache answers them."""

    def __init__(self, client: AsyncTestClient[Litestar], token: str) -> None:
        self.client = client
        self.token = token
        self.registered: list[str] = []
        self._serial = 0

    async def register(self) -> httpx.Response:
        self._serial += 1
        name = f"user{self._serial}"
        body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
        response = await self.client.post("/api/v1/auth/register", json=body)
        if response.status_code == 201:
            self.registered.append(name)
        return response

    async def edit_profile(self) -> httpx.Response:
        self._serial += 1
        body = {"bio": f"edit {self._serial}"}
        return await self.client.patch("/api/v1/me", json=body, headers=bearer(self.token))

    async def read(self) -> httpx.Response:
        self._serial += 1  # a new cursor-less page each time: listings are not cached
        return await self.client.get(
            "/api/v1/users/alice/followers",
            params={"limit": 1 + self._serial % 20},
            headers=bearer(self.token),
        )

    async def burst(self, rounds: int = 4) -> list[httpx.Response]:
        """More concurrent requests than either pool has connections."""
        calls = [self.register, self.edit_profile, self.read, self.read]
        return list(await asyncio.gather(*(call() for _ in range(rounds) for call in calls)))


def statuses(responses: list[httpx.Response]) -> list[int]:
    return [response.status_code for response in responses]


def assert_all_succeeded(responses: list[httpx.Response]) -> None:
    failed = [(r.request.method, r.request.url.path, r.status_code, r.text) for r in responses]
    assert all(r.status_code < 300 for r in responses), [f for f in failed if f[2] >= 300]


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.request.url.path, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["status"] == 503


@contextlib.asynccontextmanager
async def app_behind(url: str, tmp_path: Path, database: Database) -> AsyncIterator[Traffic]:
    async with AsyncTestClient(app=create_app(outage_settings(url, tmp_path))) as client:
        token = await Api(client=client, database=database).token_for("alice")
        yield Traffic(client, token)


async def test_after_a_restart_the_very_next_requests_succeed(
    database: Database, database_url: str, tmp_path: Path, proxy: TcpProxy
) -> None:
    """Dropping every connection (the forwarder cut and restored at once) is what a restart
    looks like to a client: each pool holds only dead connections until it learns otherwise."""
    async with app_behind(behind(database_url, proxy.port), tmp_path, database) as traffic:
        for _ in range(2):
            assert_all_succeeded(await traffic.burst())  # every pooled connection in use once

            await proxy.stop()
            await proxy.start()

            assert (await traffic.register()).status_code == 201  # the very next write
            assert (await traffic.read()).status_code == 200
            assert_all_succeeded(await traffic.burst())


async def test_connections_the_server_ended_are_replaced(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    """The server side of a restart: PostgreSQL ends each backend (``57P01`` then a closed
    socket), here only this test database's, as ``pg_terminate_backend`` does."""
    async with app_behind(database_url, tmp_path, database) as traffic:
        for _ in range(2):
            assert_all_succeeded(await traffic.burst())
            assert await _end_backends(database_url) > 0

            assert (await traffic.edit_profile()).status_code == 200
            assert (await traffic.read()).status_code == 200
            assert_all_succeeded(await traffic.burst())


async def _end_backends(database_url: str) -> int:
    admin = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        ended: int = await admin.fetchval(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the clients hear of it
    return ended


async def test_while_away_503_with_retry_after_and_no_acknowledged_write_is_lost(
    database: Database, database_url: str, tmp_path: Path, proxy: TcpProxy
) -> None:
    async with app_behind(behind(database_url, proxy.port), tmp_path, database) as traffic:
        assert_all_succeeded(await traffic.burst())

        await proxy.stop()
        for response in await traffic.burst():
            assert_unavailable(response)
        assert_unavailable(await traffic.register())
        assert_unavailable(await traffic.read())

        await proxy.start()
        assert (await traffic.register()).status_code == 201
        assert (await traffic.read()).status_code == 200

        # writes racing a flapping database: each answer is success or 503, never 500
        async def flap() -> None:
            for _ in range(4):
                await asyncio.sleep(0.15)
                await proxy.stop()
                await asyncio.sleep(0.15)
                await proxy.start()

        flapping = asyncio.create_task(flap())
        seen: set[int] = set()
        while not flapping.done():
            for response in await traffic.burst(2):
                seen.add(response.status_code)
                if response.status_code >= 500:
                    assert_unavailable(response)
        await flapping
        assert seen <= {200, 201, 503}, seen
        assert_all_succeeded(await traffic.burst())

    async with database.engine.connect() as connection:
        stored = set((await connection.execute(text("SELECT username FROM users"))).scalars().all())
    assert set(traffic.registered) <= stored  # every 201 is in the database


@contextlib.contextmanager
def _silent_listener(port: int) -> Iterator[None]:
    """The port accepts connections and never says a word: a database host that hangs."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        yield


async def test_a_database_that_does_not_answer_is_503_within_the_pool_timeout(
    database: Database, database_url: str, tmp_path: Path, proxy: TcpProxy
) -> None:
    url = behind(database_url, proxy.port)
    settings = outage_settings(url, tmp_path, database_pool_timeout_s=1)
    async with AsyncTestClient(app=create_app(settings)) as client:
        traffic = Traffic(client, await Api(client=client, database=database).token_for("alice"))
        assert_all_succeeded(await traffic.burst())
        await proxy.stop()
        with _silent_listener(proxy.port):
            for call in (traffic.register, traffic.edit_profile, traffic.read):
                started = time.monotonic()
                assert_unavailable(await call())
                assert time.monotonic() - started < 5
        await proxy.start()
        assert_all_succeeded(await traffic.burst())
