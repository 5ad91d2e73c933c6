"""The README's first command, for real: ``social serve`` with no configuration but a data
directory, answering the whole sign-up → sign-out flow over a socket, under either ASGI server
(``--server granian``, the default, and ``uvicorn``), the WebSocket stream included."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import httpx
import pytest
import websockets

from tests.api.conftest import PASSWORD
from tests.served import free_port, serving


@pytest.mark.parametrize("server", ["granian", "uvicorn"])
async def test_embedded_serve_from_nothing(tmp_path: Path, server: str) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_")}
    env["SOCIAL_DATA_DIR"] = str(tmp_path / "data")
    arguments = ["--port", str(port)] + (["--server", server] if server != "granian" else [])
    async with serving(env, *arguments) as served:
        client = served.client
        await _sign_up_to_sign_out(client)
        await _stream_says_ready(client, port)
        await _first_admin_from_the_command_line(client, env)
    process, output = served.process, served.output
    log = output.decode()
    assert process.returncode == 0, log[-3000:]
    assert PASSWORD not in log
    assert (tmp_path / "data" / "postgres" / "PG_VERSION").exists()
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0


async def _sign_up_to_sign_out(client: httpx.AsyncClient) -> None:
    body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
    assert (await client.post("/api/v1/auth/register", json=body)).status_code == 201
    login = await client.post("/api/v1/auth/login", json={"login": "alice", "password": PASSWORD})
    assert login.status_code == 200
    tokens = login.json()
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.json()["username"] == "alice"
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
    new = refreshed.json()
    headers = {"Authorization": f"Bearer {new['access_token']}"}
    out = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": new["refresh_token"]}, headers=headers
    )
    assert out.status_code == 204
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401


async def _stream_says_ready(client: httpx.AsyncClient, port: int) -> None:
    login = await client.post("/api/v1/auth/login", json={"login": "alice", "password": PASSWORD})
    token = login.json()["access_token"]
    url = f"ws://127.0.0.1:{port}/api/v1/stream?access_token={token}"
    async with websockets.connect(url, open_timeout=10) as socket:
        ready = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ready["event"] == "ready"
        await socket.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(socket.recv(), 10))["event"] == "pong"
    async with websockets.connect(url.replace(token, "not-a-token"), open_timeout=10) as socket:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def _first_admin_from_the_command_line(
    client: httpx.AsyncClient, env: dict[str, str]
) -> None:
    """``social users set-role`` joins the embedded database the server is running on."""
    returncode, output = await _social(env, "users", "set-role", "alice", "admin")
    assert returncode == 0, output.decode()[-2000:]
    assert b"alice is now admin" in output
    login = await client.post("/api/v1/auth/login", json={"login": "alice", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await client.get("/api/v1/me", headers=headers)).json()["role"] == "admin"
    audit = (await client.get("/api/v1/admin/audit-log", headers=headers)).json()["items"]
    assert [(e["action"], e["actor_id"]) for e in audit] == [("change_role", None)]
    returncode, output = await _social(env, "users", "set-role", "nobody", "admin")
    assert returncode == 1 and b"nobody" in output and b"Traceback" not in output


async def _social(env: dict[str, str], *arguments: str) -> tuple[int | None, bytes]:
    """Run a ``social`` command to its end: its exit code and its output."""
    command = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "social",
        *arguments,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(command.communicate(), 60)
    return command.returncode, output
