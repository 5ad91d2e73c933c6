"""The WebSocket stream for real (NOTIF-2): two ``social serve`` processes sharing one Redis —
an event raised in one reaches a socket held by the other — and the stream's auth rules."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from social.adapters.postgres.database import Database
from tests.api.conftest import PASSWORD, api_settings
from tests.integration.conftest import worker_environment
from tests.media_files import jpeg
from tests.served import free_port
from tests.services import REQUIRED


@dataclass
class Server:
    base: str
    process: Any

    @property
    def ws(self) -> str:
        return self.base.replace("http://", "ws://") + "/api/v1/stream"


async def _serve(env: dict[str, str]) -> Server:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "social",
        "serve",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=5) as client:
        for _ in range(120):
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return Server(base, process)
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.25)
    process.kill()
    raise AssertionError("a server did not get ready within 30 s")


@pytest.fixture
async def servers(
    database: Database, database_url: str, redis_url: str, tmp_path: Path
) -> AsyncIterator[tuple[Server, Server]]:
    """Two API processes on one database and one Redis; jobs run inside the first."""
    if not redis_url and not REQUIRED:
        pytest.skip("redis not configured")
    settings = api_settings(database_url, tmp_path, redis_url=redis_url)
    common = {"log_level": "WARNING", "stream_heartbeat_s": "1", "rate_limit_enabled": "false"}
    first = await _serve(worker_environment(settings, run_worker_in_process="true", **common))
    second = await _serve(worker_environment(settings, run_worker_in_process="false", **common))
    try:
        yield first, second
    finally:
        for server in (first, second):
            server.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(server.process.communicate(), 30)


async def _sign_up(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json()["tokens"])


def _auth(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def _post(client: httpx.AsyncClient, tokens: dict[str, str]) -> str:
    files = {"file": ("p.jpg", jpeg((320, 240)), "image/jpeg")}
    media = (await client.post("/api/v1/media", files=files, headers=_auth(tokens))).json()
    for _ in range(600):  # up to 60 s: a busy CI machine, not a slow server, decides this
        state = (await client.get(f"/api/v1/media/{media['id']}", headers=_auth(tokens))).json()
        if state["status"] != "processing":
            break
        await asyncio.sleep(0.1)
    assert state["status"] == "ready", state
    body = {"caption": "Gunung #Rinjani", "media_ids": [media["id"]]}
    created = await client.post("/api/v1/posts", json=body, headers=_auth(tokens))
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _next(ws: Any, event: str, seconds: float = 10) -> dict[str, Any]:
    async with asyncio.timeout(seconds):
        while True:
            message = json.loads(await ws.recv())
            if message["event"] == event:
                return dict(message["data"])


async def test_an_event_on_one_process_reaches_a_socket_on_the_other(
    servers: tuple[Server, Server],
) -> None:
    first, second = servers
    async with httpx.AsyncClient(base_url=first.base, timeout=10) as api:
        alice, bob = await _sign_up(api, "alice"), await _sign_up(api, "bob")
        post_id = await _post(api, alice)
        url = f"{second.ws}?access_token={alice['access_token']}"
        async with websockets.connect(url) as ws:
            await _next(ws, "ready")
            liked = await api.post(f"/api/v1/posts/{post_id}/like", headers=_auth(bob))
            assert liked.status_code == 200
            data = await _next(ws, "notification")
            assert data["kind"] == "like" and data["actor"]["username"] == "bob"
            assert data["post_id"] == post_id
            await _next(ws, "heartbeat", 15)  # beats every 1 s: margins a busy CI cannot eat
            await ws.send(json.dumps({"type": "ping"}))
            await _next(ws, "pong", 15)

            listed = (await api.get("/api/v1/notifications", headers=_auth(alice))).json()
            assert [n["id"] for n in listed["items"]] == [data["id"]]
            count = await api.get("/api/v1/notifications/unread-count", headers=_auth(alice))
            assert count.json() == {"count": 1}
            await api.delete(f"/api/v1/posts/{post_id}/like", headers=_auth(bob))
            for _ in range(100):
                listed = (await api.get("/api/v1/notifications", headers=_auth(alice))).json()
                if not listed["items"]:
                    break
                await asyncio.sleep(0.1)
            assert listed["items"] == []  # the unlike took it back


async def test_the_stream_refuses_bad_tokens_and_closes_when_the_session_ends(
    servers: tuple[Server, Server],
) -> None:
    first, _ = servers
    async with httpx.AsyncClient(base_url=first.base, timeout=10) as api:
        alice = await _sign_up(api, "alice")
        async with websockets.connect(f"{first.ws}?access_token=not-a-token") as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401

        async with websockets.connect(first.ws) as ws:  # the token as the first message
            await ws.send(json.dumps({"type": "auth", "access_token": alice["access_token"]}))
            await _next(ws, "ready")
            out = await api.post(
                "/api/v1/auth/logout",
                json={"refresh_token": alice["refresh_token"]},
                headers=_auth(alice),
            )
            assert out.status_code == 204
            with pytest.raises(ConnectionClosed) as ended:
                await _next(ws, "never sent")  # heartbeats until the session check closes it
        assert ended.value.rcvd is not None and ended.value.rcvd.code == 4401
