"""Redis, MinIO and OpenSearch going away under the production composition (each behind a
cuttable TCP forwarder; the shared services keep running), as docs/operations.md describes: what
needs the missing service answers 503 problem+json with ``Retry-After``, everything else keeps
working, readiness names what is down, and all of it recovers by itself; a process also starts
while one of them is away. (PostgreSQL: tests/integration/test_database_outage.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from social.adapters.postgres.database import Database
from social.app import create_app
from social.settings import Settings
from tests.api.conftest import PASSWORD, Api, bearer, eventually
from tests.api.test_interactions_and_feeds import publish
from tests.api.test_posts import ready, upload
from tests.media_files import jpeg
from tests.tcp_proxy import TcpProxy

_REDIS_DB = 11
"""A database of its own: other tests' fixtures clear the queue keys of database 0."""


@pytest.fixture
async def proxied(production: Settings) -> AsyncIterator[tuple[Settings, dict[str, TcpProxy]]]:
    """The production settings with Redis, MinIO and OpenSearch each behind a forwarder."""
    redis, opensearch = (
        urlsplit(production.services.redis_url),
        urlsplit(production.services.opensearch_url),
    )
    s3_host, s3_port = production.services.s3_endpoint.rsplit(":", 1)
    proxies = {
        "redis": TcpProxy(redis.hostname or "127.0.0.1", redis.port or 6379),
        "minio": TcpProxy(s3_host, int(s3_port)),
        "opensearch": TcpProxy(opensearch.hostname or "127.0.0.1", opensearch.port or 9200),
    }
    for proxy in proxies.values():
        await proxy.start()
    own = Redis.from_url(f"redis://{redis.hostname}:{redis.port}/{_REDIS_DB}")
    await own.flushdb()
    settings = production.with_values(
        redis_url=f"redis://127.0.0.1:{proxies['redis'].port}/{_REDIS_DB}",
        s3_endpoint=f"127.0.0.1:{proxies['minio'].port}",
        opensearch_url=proxies["opensearch"].url,
        run_worker_in_process=True,
        rate_limit_login=4,
        session_cache_shared_ttl_s=1.0,
    )
    try:
        yield settings, proxies
    finally:
        for proxy in proxies.values():
            await proxy.close()
        await own.flushdb()
        await own.aclose()


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) > 0


async def down(client: AsyncTestClient[Litestar]) -> list[str]:
    response = await client.get("/health/ready")
    assert response.status_code in (200, 503)
    return list(response.json().get("down", []))


async def reads_and_writes(api: Api, alice: str, bob: str, post: dict[str, Any]) -> None:
    """Requests that need only PostgreSQL all succeed."""
    client = api.client
    assert (await client.get("/api/v1/me", headers=bearer(alice))).status_code == 200
    assert (await client.get("/api/v1/users/alice")).status_code == 200
    assert (await client.get(f"/api/v1/posts/{post['id']}")).status_code == 200
    assert (await client.get("/api/v1/feed", headers=bearer(bob))).status_code == 200
    assert (await client.get("/api/v1/tags/bandung/posts")).status_code == 200
    liked = await client.post(f"/api/v1/posts/{post['id']}/like", headers=bearer(bob))
    assert liked.status_code == 200
    comment = {"text": "nice"}
    commented = await client.post(
        f"/api/v1/posts/{post['id']}/comments", json=comment, headers=bearer(bob)
    )
    assert commented.status_code == 201
    edited = await client.patch("/api/v1/me", json={"bio": "hello"}, headers=bearer(alice))
    assert edited.status_code == 200


async def test_redis_away(
    database: Database, proxied: tuple[Settings, dict[str, TcpProxy]]
) -> None:
    settings, proxies = proxied
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        alice, bob = await api.token_for("alice"), await api.token_for("bob")
        assert (await client.post("/api/v1/users/alice/follow", headers=bearer(bob))).is_success
        post = await publish(api, alice, "Kopi pagi #bandung")
        spare = await ready(api, alice, jpeg((320, 240)), "spare.jpg")

        await proxies["redis"].stop()
        assert set(await down(client)) == {"redis", "jobs"}
        await reads_and_writes(api, alice, bob, post)
        logins = [
            await client.post("/api/v1/auth/login", json={"login": "bob", "password": PASSWORD})
            for _ in range(6)
        ]
        assert [r.status_code for r in logins] == [200] * 6  # limits are off, not the API
        uploaded = await upload(api, alice, jpeg((320, 240)), "during.jpg")
        assert uploaded.status_code == 202  # its job waits in the outbox
        body = {"caption": "during the outage", "media_ids": [spare["id"]]}
        created = await client.post("/api/v1/posts", json=body, headers=bearer(alice))
        assert created.status_code == 201

        await proxies["redis"].start()
        assert await down(client) == []

        async def processed() -> bool:
            media = await client.get(
                f"/api/v1/media/{uploaded.json()['id']}", headers=bearer(alice)
            )
            return bool(media.json()["status"] == "ready")

        async def in_the_feed() -> bool:
            feed = (await client.get("/api/v1/feed", headers=bearer(bob))).json()
            return any(item["post"]["id"] == created.json()["id"] for item in feed["items"])

        await eventually(processed, 60)  # the outbox relay queues what could not be
        await eventually(in_the_feed, 60)
        await reads_and_writes(api, alice, bob, post)


async def test_minio_away(
    database: Database, proxied: tuple[Settings, dict[str, TcpProxy]]
) -> None:
    settings, proxies = proxied
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        alice, bob = await api.token_for("alice"), await api.token_for("bob")
        post = await publish(api, alice, "Kopi pagi #bandung")

        await proxies["minio"].stop()
        assert await down(client) == ["storage"]
        await reads_and_writes(api, alice, bob, post)  # media URLs are signed here
        assert_unavailable(await upload(api, alice, jpeg((320, 240)), "during.jpg"))

        await proxies["minio"].start()
        assert await down(client) == []
        assert (await upload(api, alice, jpeg((320, 240)), "after.jpg")).status_code == 202

    # a process starts while MinIO is away, and serves uploads once it is back
    await proxies["minio"].stop()
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        alice = (
            await client.post("/api/v1/auth/login", json={"login": "alice", "password": PASSWORD})
        ).json()["access_token"]
        assert (await client.get("/api/v1/users/alice")).status_code == 200
        assert_unavailable(await upload(api, alice, jpeg((320, 240)), "early.jpg"))
        await proxies["minio"].start()
        assert (await upload(api, alice, jpeg((320, 240)), "later.jpg")).status_code == 202


async def test_opensearch_away(
    database: Database, proxied: tuple[Settings, dict[str, TcpProxy]]
) -> None:
    settings, proxies = proxied
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        alice, bob = await api.token_for("alice"), await api.token_for("bob")
        post = await publish(api, alice, "Kopi pagi #bandung")

        await proxies["opensearch"].stop()
        assert await down(client) == ["search"]
        await reads_and_writes(api, alice, bob, post)
        assert_unavailable(await client.get("/api/v1/search", params={"q": "kopi"}))

        await proxies["opensearch"].start()
        assert await down(client) == []

        async def found() -> bool:
            response = await client.get("/api/v1/search", params={"q": "kopi"})
            return response.status_code == 200 and len(response.json()["items"]) == 1

        await eventually(found, 30)
