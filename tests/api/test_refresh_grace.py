"""Two refreshes with the same refresh token at once (two tabs, a retry) both get the same new
pair; the same token presented after the grace window still ends the session. Through HTTP on
PostgreSQL (the test client tends to finish one request before the next reads the token: the
race inside one claim, where losers wait for the winner's commit, is
tests/contract/test_accounts_store.py). The clock is a ``MutableClock`` the test moves."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.app import create_app
from social.bootstrap import build_use_cases
from tests.api.conftest import Api, api_settings, bearer
from tests.fakes.shared import MutableClock


@pytest.fixture
async def clocked(
    database: Database, database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[Api, MutableClock]]:
    app: Litestar = create_app(api_settings(database_url, tmp_path, refresh_reuse_grace_s=30))
    clock = MutableClock(datetime.now(UTC))
    async with AsyncTestClient(app=app) as client:
        # The adapters belong to the app's own event loop (opened by its lifespan): swap the
        # clock in there and rebuild the use cases around it.
        app.state.adapters.clock = clock
        app.state.use_cases = build_use_cases(app.state.adapters)
        yield Api(client=client, database=database), clock


async def _refresh(api: Api, token: str) -> Any:
    return await api.client.post("/api/v1/auth/refresh", json={"refresh_token": token})


async def test_concurrent_refreshes_get_the_same_pair(
    clocked: tuple[Api, MutableClock],
) -> None:
    api, clock = clocked
    token = (await api.register("alice"))["tokens"]["refresh_token"]
    for _ in range(5):  # each round: one rotation, however many ask at once
        answers = await asyncio.gather(*(_refresh(api, token) for _ in range(3)))
        assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
        pairs = [a.json() for a in answers]
        assert pairs[0] == pairs[1] == pairs[2]
        assert pairs[0]["refresh_token"] != token
        me = await api.client.get("/api/v1/me", headers=bearer(pairs[0]["access_token"]))
        assert me.status_code == 200, me.text
        token = pairs[0]["refresh_token"]
        clock.advance(seconds=1)  # (within the JWT leeway: the tokens are checked on real time)
    async with api.database.sessions() as session:
        issued = (await session.execute(text("SELECT count(*) FROM refresh_tokens"))).scalar()
    assert issued == 6  # the first and one per round: each rotation happened exactly once


async def test_a_repeat_after_the_window_ends_the_session(
    clocked: tuple[Api, MutableClock],
) -> None:
    api, clock = clocked
    first = (await api.register("alice"))["tokens"]["refresh_token"]
    rotated = (await _refresh(api, first)).json()
    clock.advance(seconds=29)
    assert (await _refresh(api, first)).json() == rotated  # still within the window
    clock.advance(seconds=2)
    reused = await _refresh(api, first)
    assert reused.status_code == 401
    assert (await _refresh(api, rotated["refresh_token"])).status_code == 401
    me = await api.client.get("/api/v1/me", headers=bearer(rotated["access_token"]))
    assert me.status_code == 401
