"""The stream's sockets end with their sessions: at the token's expiry and at logout, each
closing with 4401 (on fakes; the same over real servers in tests/integration/test_stream.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import AsyncTestClient

from social.app import create_app
from social.settings import Settings
from tests.api.conftest import PASSWORD, bearer
from tests.conftest import TEST_SECRET
from tests.fakes.accounts import AccountsStore
from tests.fakes.adapters import fake_adapters


def settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path,
        secret_key=TEST_SECRET.decode(),
        stream_heartbeat_s=0.2,
        **overrides,
    )


def _read_until_closed(socket: Any) -> None:
    """Heartbeats until the server closes the socket (which raises)."""
    for _ in range(100):
        assert socket.receive_json()["event"] == "heartbeat"
    raise AssertionError("the socket stayed open")


async def _tokens(client: AsyncTestClient) -> dict[str, str]:  # type: ignore[type-arg]
    body = {"username": "alice", "email": "a@example.com", "password": PASSWORD}
    registered = await client.post("/api/v1/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    tokens: dict[str, str] = registered.json()["tokens"]
    return tokens


async def test_the_socket_closes_when_its_token_expires(tmp_path: Path) -> None:
    config = settings(tmp_path, access_token_ttl_s=2)  # whole seconds: it lives 1 to 2 s
    adapters = fake_adapters(config, store=AccountsStore())
    async with AsyncTestClient(app=create_app(config, adapters=adapters)) as client:
        tokens = await _tokens(client)
        stream = f"/api/v1/stream?access_token={tokens['access_token']}"
        started = time.monotonic()
        with await client.websocket_connect(stream) as socket:
            assert socket.receive_json()["event"] == "ready"
            assert socket.receive_json()["event"] == "heartbeat"  # the session stands
            with pytest.raises(WebSocketDisconnect) as ended:
                _read_until_closed(socket)
        assert ended.value.code == 4401
        assert time.monotonic() - started < 4  # at the expiry, not at some later beat


async def test_the_socket_closes_at_the_first_beat_after_logout(tmp_path: Path) -> None:
    config = settings(tmp_path)
    adapters = fake_adapters(config, store=AccountsStore())
    async with AsyncTestClient(app=create_app(config, adapters=adapters)) as client:
        tokens = await _tokens(client)
        stream = f"/api/v1/stream?access_token={tokens['access_token']}"
        with await client.websocket_connect(stream) as socket:
            assert socket.receive_json()["event"] == "ready"
            assert socket.receive_json()["event"] == "heartbeat"
            out = await client.post(
                "/api/v1/auth/logout",
                json={"refresh_token": tokens["refresh_token"]},
                headers=bearer(tokens["access_token"]),
            )
            assert out.status_code == 204
            with pytest.raises(WebSocketDisconnect) as ended:
                _read_until_closed(socket)
        assert ended.value.code == 4401
        assert client.app.state.session_recheck.batches >= 2
