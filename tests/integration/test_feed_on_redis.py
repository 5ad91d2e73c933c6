"""The home feed on real Redis (FEED-3): fan-out into sorted sets by the SAQ worker, the
read-time merge of a large account, and the database fallback once Redis is stopped."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import Api, api_settings, bearer, eventually
from tests.api.test_interactions_and_feeds import captions, follow, publish
from tests.services import REQUIRED


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def own_redis(tmp_path: Path, redis_url: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis server of this test's own, so stopping it disturbs nobody else."""
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRED:
            pytest.fail("redis-server is not installed (scripts/services.sh installs it)")
        pytest.skip("redis-server not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            import time

            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        process.kill()
        process.wait()


@pytest.fixture
async def redis_api(
    own_redis: tuple[str, subprocess.Popen[bytes]],
    database: Database,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    """The app with feeds, jobs and rate limits on the test's Redis; large = > 1 follower."""
    settings = api_settings(
        database_url,
        tmp_path,
        redis_url=own_redis[0],
        run_worker_in_process=True,
        fan_out_threshold=1,
        rate_limit_enabled=False,
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield Api(client=client, database=database)


async def test_fan_out_merge_and_a_stopped_redis(
    redis_api: Api, own_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    api = redis_api
    alice, star, fan, other = [await api.token_for(n) for n in ("alice", "star", "fan", "other")]
    await follow(api, fan, "alice")
    await follow(api, fan, "star")
    await follow(api, other, "star")  # star now has 2 followers: above the threshold of 1
    assert await captions(api, fan) == []  # builds fan's stored feed
    fan_id = (await api.client.get("/api/v1/me", headers=bearer(fan))).json()["id"]
    feed_key = f"social:feed:{fan_id.replace('-', '')}"
    redis = Redis.from_url(own_redis[0])
    try:

        async def built() -> bool:
            return bool(await redis.exists(f"{feed_key}:m"))

        await eventually(built)
        from_alice = await publish(api, alice, "small account")
        from_star = await publish(api, star, "large account")

        async def pushed() -> bool:
            members = await redis.zrange(feed_key, 0, -1)
            return any(from_alice["id"].replace("-", "").encode() in m for m in members)

        await eventually(pushed)
        members = b" ".join(await redis.zrange(feed_key, 0, -1))
        assert from_star["id"].replace("-", "").encode() not in members  # never fanned out
    finally:
        await redis.aclose()

    async def both() -> bool:
        return await captions(api, fan) == ["large account", "small account"]

    await eventually(both)

    own_redis[1].kill()  # Redis stops: the feed comes from PostgreSQL
    own_redis[1].wait()
    await asyncio.sleep(0.2)
    assert await captions(api, fan) == ["large account", "small account"]
    page = await api.client.get("/api/v1/feed", params={"limit": 1}, headers=bearer(fan))
    assert page.status_code == 200 and page.json()["next_cursor"]
    rest: Any = await api.client.get(
        "/api/v1/feed",
        params={"limit": 5, "cursor": page.json()["next_cursor"]},
        headers=bearer(fan),
    )
    assert [i["post"]["caption"] for i in rest.json()["items"]] == ["small account"]
