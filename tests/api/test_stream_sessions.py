"""The stream's sockets end with their sessions: at the token's expiry and at logout, each
closing with 4401 (on fakes; the same over real servers in tests/integration/test_stream.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
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
from tests.fakes.shared import MutableClock


def settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp_path,
        "secret_key": TEST_SECRET.decode(),
        "stream_heartbeat_s": 0.2,
    }
    return Settings.from_values(**(values | overrides))


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
    """On the app's clock, which the test moves: the token stands until the clock passes its
    expiry, then the next beat closes the socket. Nothing races real time."""
    config = settings(tmp_path, access_token_ttl_s=900)
    clock = MutableClock(datetime.now(UTC))  # tokens are issued on it, verified on real time
    adapters = fake_adapters(config, store=AccountsStore(), clock=clock)
    async with AsyncTestClient(app=create_app(config, adapters=adapters)) as client:
        tokens = await _tokens(client)
        stream = f"/api/v1/stream?access_token={tokens['access_token']}"
        with await client.websocket_connect(stream) as socket:
            assert socket.receive_json()["event"] == "ready"
            for _ in range(3):
                assert socket.receive_json()["event"] == "heartbeat"  # the session stands
            clock.advance(seconds=900)  # the token's expiry, to the second
            with pytest.raises(WebSocketDisconnect) as ended:
                _read_until_closed(socket)
        assert ended.value.code == 4401


async def test_the_socket_closes_at_the_expiry_not_at_a_later_beat(tmp_path: Path) -> None:
    """On real time, with margins that cannot flip: the next beat is an hour away and the token
    expires within 2 s, so a close well before the beat is the expiry's. (A generous leeway
    only lets the connection in however slowly the machine gets there.)"""
    config = settings(tmp_path, access_token_ttl_s=2, stream_heartbeat_s=3600.0, jwt_leeway_s=600)
    adapters = fake_adapters(config, store=AccountsStore())
    async with AsyncTestClient(app=create_app(config, adapters=adapters)) as client:
        tokens = await _tokens(client)
        stream = f"/api/v1/stream?access_token={tokens['access_token']}"
        started = time.monotonic()
        with await client.websocket_connect(stream) as socket:
            assert socket.receive_json()["event"] == "ready"
            with pytest.raises(WebSocketDisconnect) as ended:
                socket.receive_json()  # no heartbeat can come first
        assert ended.value.code == 4401
        assert time.monotonic() - started < 600  # not the hour-long beat


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
