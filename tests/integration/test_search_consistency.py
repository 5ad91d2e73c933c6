"""The search index follows the database (SRCH-2) on a real OpenSearch: through an outage
(writes go on, search answers 503, and the index catches up with nothing lost) and through a
rebuild by ``social reindex`` (no downtime, changes made meanwhile kept)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import AsyncTestClient
from opensearchpy import AsyncOpenSearch
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.app import create_app
from social.settings import Settings
from tests.api.conftest import Api, api_settings, bearer, eventually
from tests.api.test_interactions_and_feeds import publish
from tests.integration.conftest import worker_environment
from tests.tcp_proxy import TcpProxy


@pytest.fixture
async def proxy(opensearch_url: str) -> AsyncIterator[TcpProxy]:
    target = urlsplit(opensearch_url)
    forwarder = TcpProxy(target.hostname or "127.0.0.1", target.port or 9200)
    await forwarder.start()
    yield forwarder
    await forwarder.close()


@pytest.fixture
async def index_prefix(opensearch_url: str) -> AsyncIterator[str]:
    prefix = f"social-test-{id(object()):x}"
    yield prefix
    client = AsyncOpenSearch(opensearch_url)
    await client.indices.delete(index=f"{prefix}-*", ignore=[404])
    await client.close()


def search_settings(
    database_url: str, tmp_path: Path, opensearch_url: str, prefix: str, **extra: Any
) -> Settings:
    return api_settings(
        database_url,
        tmp_path,
        opensearch_url=opensearch_url,
        opensearch_index_prefix=prefix,
        run_worker_in_process=True,  # jobs on the PostgreSQL queue, in this process
        **extra,
    )


async def indexed_post_ids(opensearch_url: str, prefix: str) -> set[str]:
    client = AsyncOpenSearch(opensearch_url)
    try:
        await client.indices.refresh(index=f"{prefix}-posts")
        found = await client.search(index=f"{prefix}-posts", body={"size": 1000, "_source": False})
    finally:
        await client.close()
    return {hit["_id"] for hit in found["hits"]["hits"]}


async def database_post_ids(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT id FROM posts"))
        return {str(row[0]) for row in rows}


async def test_an_outage_loses_nothing(
    database: Database,
    database_url: str,
    tmp_path: Path,
    opensearch_url: str,
    proxy: TcpProxy,
    index_prefix: str,
) -> None:
    settings = search_settings(database_url, tmp_path, proxy.url, index_prefix)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        alice = await api.token_for("alice")
        first = await publish(api, alice, "Kopi pagi di #Bandung")
        second = await publish(api, alice, "Kopi sore di #Jakarta")

        async def both_found() -> bool:
            found = await client.get("/api/v1/search", params={"q": "kopi"})
            return found.status_code == 200 and len(found.json()["items"]) == 2

        await eventually(both_found, 30)

        await proxy.stop()  # OpenSearch is gone for the app
        third = await publish(api, alice, "Kopi malam di #Bogor")
        deleted = await client.delete(f"/api/v1/posts/{first['id']}", headers=bearer(alice))
        assert deleted.status_code == 204
        down = await client.get("/api/v1/search", params={"q": "kopi"})
        assert down.status_code == 503
        assert down.headers["content-type"].startswith("application/problem+json")
        assert (await client.get(f"/api/v1/posts/{third['id']}")).status_code == 200
        await asyncio.sleep(3)  # a few sync rounds fail meanwhile

        await proxy.start()  # back: the waiting changes are applied

        async def caught_up() -> bool:
            found = await client.get("/api/v1/search", params={"q": "kopi"})
            if found.status_code != 200:
                return False
            return {p["id"] for p in found.json()["items"]} == {second["id"], third["id"]}

        await eventually(caught_up, 40)
    assert await indexed_post_ids(opensearch_url, index_prefix) == await database_post_ids(database)


async def test_reindex_rebuilds_without_downtime(
    database: Database, database_url: str, tmp_path: Path, opensearch_url: str, index_prefix: str
) -> None:
    settings = search_settings(database_url, tmp_path, opensearch_url, index_prefix)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        alice = await api.token_for("alice")
        posts = [await publish(api, alice, f"Nasi #goreng nomor {i}") for i in range(3)]

        async def found_all() -> bool:
            found = await client.get("/api/v1/search", params={"q": "nasi"})
            return found.status_code == 200 and len(found.json()["items"]) == 3

        await eventually(found_all, 30)
        client_os = AsyncOpenSearch(opensearch_url)
        try:  # the index drifts from the database behind the app's back
            await client_os.delete(index=f"{index_prefix}-posts", id=posts[0]["id"])
            await client_os.indices.refresh(index=f"{index_prefix}-posts")
        finally:
            await client_os.close()

        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "social",
            "reindex",
            env=worker_environment(settings, opensearch_url=opensearch_url),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        answers = []
        while process.returncode is None:  # queries keep answering during the rebuild
            answers.append((await client.get("/api/v1/search", params={"q": "nasi"})).status_code)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 0.05)
        out, err = await process.communicate()
        assert process.returncode == 0, err.decode()[-2000:]
        assert b"search index rebuilt" in out and b"indexing" in err
        assert set(answers) == {200}
        found = (await client.get("/api/v1/search", params={"q": "nasi"})).json()["items"]
        assert {p["id"] for p in found} == {p["id"] for p in posts}
    client_os = AsyncOpenSearch(opensearch_url)
    try:
        aliases = await client_os.indices.get_alias(index=f"{index_prefix}-posts")
    finally:
        await client_os.close()
    assert list(aliases) != [f"{index_prefix}-posts"]  # a physical index behind the alias
