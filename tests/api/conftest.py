"""API tests: HTTP through the real app, on a real PostgreSQL (embedded or configured)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from social.adapters.postgres.database import Database
from social.app import create_app
from social.settings import Settings
from tests.conftest import TEST_SECRET

PASSWORD = "a sturdy passphrase 42"
METRICS_TOKEN = "metrics-scraper-token"
METRICS = {"Authorization": f"Bearer {METRICS_TOKEN}"}


def api_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "data_dir": data_dir,
        "secret_key": TEST_SECRET.decode(),
        "run_worker_in_process": False,
        "rate_limit_login": 1000,
        "rate_limit_register": 1000,
        "rate_limit_refresh": 1000,
        "rate_limit_writes": 10_000,
        "rate_limit_uploads": 10_000,
        "rate_limit_search": 10_000,
        "rate_limit_reads": 100_000,
        "log_level": "WARNING",
        "metrics_token": METRICS_TOKEN,
        "face_processes": 0,  # a thread: no process pool spawned per test app
    }
    values.update(overrides)
    return Settings.from_values(**values)


@dataclass
class Api:
    client: AsyncTestClient[Litestar]
    database: Database

    async def register(self, username: str = "alice", **extra: str) -> dict[str, Any]:
        body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
        response = await self.client.post("/api/v1/auth/register", json=body | extra)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def token_for(self, username: str = "alice") -> str:
        return str((await self.register(username))["tokens"]["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def api(database: Database, database_url: str, tmp_path: Path) -> AsyncIterator[Api]:
    app = create_app(api_settings(database_url, tmp_path))
    async with AsyncTestClient(app=app) as client:
        yield Api(client=client, database=database)


@pytest.fixture
async def worker_api(database: Database, database_url: str, tmp_path: Path) -> AsyncIterator[Api]:
    """The app with its job worker running, as in the embedded mode."""
    settings = api_settings(
        database_url, tmp_path, run_worker_in_process=True, max_avatar_bytes=2_000_000
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield Api(client=client, database=database)


async def eventually(check: Any, seconds: float = 15) -> None:
    for _ in range(int(seconds * 10)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")
