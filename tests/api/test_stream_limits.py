"""The stream's abuse limits (issue 13): open sockets per user, connection attempts per minute
and messages per socket, each refused with close code 4429 and a reason. On fakes (the limiter
in memory); the Redis limiter keeps the same slots in tests/contract/test_rate_limiter.py."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import AsyncTestClient

from social.app import create_app
from social.settings import Settings
from tests.api.conftest import PASSWORD
from tests.conftest import TEST_SECRET
from tests.fakes.accounts import AccountsStore
from tests.fakes.adapters import fake_adapters


def settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp_path,
        "secret_key": TEST_SECRET.decode(),
        "stream_heartbeat_s": 60.0,  # no beat during a test: nothing here depends on time
        "rate_limit_register": 1000,
    }
    return Settings.from_values(**(values | overrides))


async def _token(client: AsyncTestClient, username: str) -> str:  # type: ignore[type-arg]
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    registered = await client.post("/api/v1/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    return str(registered.json()["tokens"]["access_token"])


def _refused(socket: Any) -> tuple[int, str]:
    with pytest.raises(WebSocketDisconnect) as closed:
        socket.receive_json()
    return closed.value.code, str(closed.value.detail)


async def test_a_user_holds_at_most_the_configured_open_streams(tmp_path: Path) -> None:
    config = settings(tmp_path, stream_max_per_user=2)
    app = create_app(config, adapters=fake_adapters(config, store=AccountsStore()))
    async with AsyncTestClient(app=app) as client:
        alice, bob = await _token(client, "alice"), await _token(client, "bob")
        url = f"/api/v1/stream?access_token={alice}"
        with ExitStack() as held:
            first = held.enter_context(await client.websocket_connect(url))
            second = held.enter_context(await client.websocket_connect(url))
            assert first.receive_json()["event"] == "ready"
            assert second.receive_json()["event"] == "ready"
            with await client.websocket_connect(url) as third:
                code, reason = _refused(third)
            assert code == 4429 and "at most 2 open streams" in reason
            with await client.websocket_connect(f"/api/v1/stream?access_token={bob}") as other:
                assert other.receive_json()["event"] == "ready"  # counted per user
            first.close()  # its slot is freed when the server sees it go
            for _ in range(200):  # at most 20 s: the release is prompt, the margin generous
                with await client.websocket_connect(url) as again:
                    message = _first(again)
                if message == "ready":
                    break
                await asyncio.sleep(0.1)
            assert message == "ready"
            second.send_json({"type": "ping"})
            assert second.receive_json()["event"] == "pong"  # the other one stays open


def _first(socket: Any) -> str:
    """The first event, or the close code of a refused socket."""
    try:
        return str(socket.receive_json()["event"])
    except WebSocketDisconnect as closed:
        return str(closed.code)


async def test_connection_attempts_are_limited_per_minute(tmp_path: Path) -> None:
    config = settings(tmp_path, stream_connects_per_minute=3)
    app = create_app(config, adapters=fake_adapters(config, store=AccountsStore()))
    async with AsyncTestClient(app=app) as client:
        token = await _token(client, "alice")
        for _ in range(3):
            with await client.websocket_connect(f"/api/v1/stream?access_token={token}") as ok:
                assert ok.receive_json()["event"] == "ready"
        with await client.websocket_connect(f"/api/v1/stream?access_token={token}") as over:
            code, reason = _refused(over)
        assert code == 4429 and "too many connection attempts" in reason
        with await client.websocket_connect("/api/v1/stream") as anonymous:  # counted per IP
            code, _ = _refused(anonymous)
        assert code == 4429


async def test_a_socket_sending_too_many_messages_is_closed(tmp_path: Path) -> None:
    config = settings(tmp_path, stream_messages_per_minute=3)
    app = create_app(config, adapters=fake_adapters(config, store=AccountsStore()))
    async with AsyncTestClient(app=app) as client:
        token = await _token(client, "alice")
        with await client.websocket_connect(f"/api/v1/stream?access_token={token}") as socket:
            assert socket.receive_json()["event"] == "ready"
            for _ in range(3):
                socket.send_json({"type": "ping"})
                assert socket.receive_json()["event"] == "pong"
            socket.send_json({"type": "ping"})
            code, reason = _refused(socket)
        assert code == 4429 and "too many messages" in reason
