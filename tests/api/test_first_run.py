"""First run, as a new operator does it, with real processes: ``social serve --port P`` issues
media and upload URLs on port P (not 8000), under either ASGI server and with several API
processes, unless ``SOCIAL_PUBLIC_URL`` names another address; and a setting that breaks its rule
ends start-up with one line naming it and the rule, without a traceback."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from social.adapters.postgres.database import Database
from tests.api.conftest import PASSWORD
from tests.conftest import TEST_SECRET
from tests.media_files import jpeg
from tests.served import free_port, serving


def _environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """This process's environment without any ``SOCIAL_*`` variable, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_")}
    env["SOCIAL_DATA_DIR"] = str(tmp_path / "data")
    env["SOCIAL_LOG_LEVEL"] = "WARNING"
    return env | {f"SOCIAL_{name.upper()}": value for name, value in settings.items()}


@asynccontextmanager
async def _serving(env: dict[str, str], *arguments: str) -> AsyncIterator[httpx.AsyncClient]:
    """``social serve ARGUMENTS`` until the block ends; a client on its port once it is ready;
    nothing it printed may be a traceback."""
    async with serving(env, *arguments) as served:
        yield served.client
    assert b"Traceback" not in served.output, served.log[-3000:]


def _urls(document: Any) -> Iterator[str]:
    """Every absolute URL anywhere in a JSON document."""
    if isinstance(document, dict):
        document = list(document.values())
    if isinstance(document, list):
        for item in document:
            yield from _urls(item)
    elif isinstance(document, str) and document.startswith(("http://", "https://")):
        yield document


async def _upload(client: httpx.AsyncClient, public: str, *, reachable: bool) -> None:
    """An upload slot's URL and then the media's URLs all start with ``public``; when it is the
    served address, the bytes go there and every URL answers."""
    body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
    registered = await client.post("/api/v1/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    auth = {"Authorization": f"Bearer {registered.json()['tokens']['access_token']}"}
    content = jpeg()
    slot = await client.post(
        "/api/v1/media/uploads",
        json={"kind": "image", "content_type": "image/jpeg", "size": len(content)},
        headers=auth,
    )
    assert slot.status_code == 201, slot.text
    upload_url = slot.json()["upload_url"]
    assert upload_url.startswith(f"{public}/"), upload_url
    if not reachable:
        return
    put = await client.put(upload_url, content=content, headers={"content-type": "image/jpeg"})
    assert put.status_code == 204, put.text
    media_id = slot.json()["media"]["id"]
    done = await client.post(f"/api/v1/media/{media_id}/complete", headers=auth)
    assert done.status_code == 202, done.text
    for _ in range(200):
        media = (await client.get(f"/api/v1/media/{media_id}", headers=auth)).json()
        if media["status"] != "processing":
            break
        await asyncio.sleep(0.1)
    assert media["status"] == "ready", media
    urls = list(_urls(media))
    assert urls and all(url.startswith(f"{public}/") for url in urls), urls
    for url in urls:
        assert (await client.get(url)).status_code == 200, url


@pytest.mark.parametrize(
    ("server", "workers"), [("granian", "1"), ("uvicorn", "2")], ids=["granian", "uvicorn-2"]
)
async def test_media_and_upload_urls_name_the_port_served(
    database: Database, database_url: str, tmp_path: Path, server: str, workers: str
) -> None:
    port = str(free_port())
    env = _environment(tmp_path, database_url=database_url, secret_key=TEST_SECRET.decode())
    arguments = ("--host", "127.0.0.1", "--port", port, "--server", server, "--workers", workers)
    async with _serving(env, *arguments) as client:
        await _upload(client, f"http://127.0.0.1:{port}", reachable=True)


async def test_the_public_url_setting_wins(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    port = str(free_port())
    env = _environment(
        tmp_path,
        database_url=database_url,
        secret_key=TEST_SECRET.decode(),
        public_url="https://social.example/",
    )
    async with _serving(env, "--port", port) as client:
        await _upload(client, "https://social.example", reachable=False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("s3_bucket", "media_files"),
        ("port", "eighty"),
        ("port", "70000"),
        ("public_url", "social.example"),
        ("database_url", "postgres//localhost/social"),
        ("redis_url", "localhost:6379"),
        ("opensearch_url", "opensearch:9200"),
        ("s3_endpoint", "http://minio:9000/"),
        ("trusted_proxies", "10.0.0.0/33"),
        ("log_level", "LOUD"),
        ("secret_key", "too short"),
        ("storage_quota_bytes", "-1"),
        ("caption_max_length", "5000"),
    ],
)
async def test_an_invalid_setting_ends_start_up_with_one_line(
    database_url: str, tmp_path: Path, s3_endpoint: str, name: str, value: str
) -> None:
    valid = {"database_url": database_url, "s3_endpoint": s3_endpoint, "port": str(free_port())}
    settings = valid | {name: value}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "social",
        "serve",
        env=_environment(tmp_path, **settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), 60)
    except TimeoutError:
        process.kill()
        output, _ = await process.communicate()
        raise AssertionError(f"still running: {output.decode()[-2000:]}") from None
    lines = output.decode().strip().splitlines()
    assert process.returncode not in (0, None)
    assert len(lines) == 1, lines[-40:]
    assert f"SOCIAL_{name.upper()}" in lines[0]
    assert "must" in lines[0] or "Expected" in lines[0], lines[0]  # the rule


@pytest.fixture
def s3_endpoint() -> str:
    """Any host:port: start-up must end before a connection is tried."""
    return os.environ.get("SOCIAL_TEST_S3_ENDPOINT", "127.0.0.1:9000")
