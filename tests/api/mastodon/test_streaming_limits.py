"""The app API's socket counts against the native stream's limits (on fakes, in process):
one budget of open sockets per user across both protocols, connection attempts and messages,
and a handshake without a valid token refused before the socket opens."""

from __future__ import annotations

import asyncio
import json
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

STREAMING = "/api/v1/streaming"


def settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp_path,
        "secret_key": TEST_SECRET.decode(),
        "stream_heartbeat_s": 60.0,  # no beat during a test
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
        socket.receive_text()
    return closed.value.code, str(closed.value.detail)


async def test_both_protocols_share_the_open_sockets_of_a_user(tmp_path: Path) -> None:
    config = settings(tmp_path, stream_max_per_user=1)
    app = create_app(config, adapters=fake_adapters(config, store=AccountsStore()))
    async with AsyncTestClient(app=app) as client:
        token = await _token(client, "alice")
        native = await client.websocket_connect(f"/api/v1/stream?access_token={token}")
        with native:
            assert native.receive_json()["event"] == "ready"
            with (
                pytest.raises(WebSocketDisconnect) as refused,
                await client.websocket_connect(f"{STREAMING}?access_token={token}"),
            ):
                pass
            assert refused.value.code == 4429
        headers = {"Authorization": f"Bearer {token}"}
        answer: object = None
        for _ in range(200):  # the native socket's slot is freed once the server sees it go
            try:
                with await client.websocket_connect(STREAMING, headers=headers) as app_socket:
                    app_socket.send_text(json.dumps({"type": "subscribe", "stream": "nope"}))
                    answer = json.loads(app_socket.receive_text())
                break
            except WebSocketDisconnect:
                await asyncio.sleep(0.1)
        assert answer == {"error": "Unknown stream type", "status": 400}


async def test_handshakes_without_a_valid_token_are_refused(tmp_path: Path) -> None:
    config = settings(tmp_path)
    app = create_app(config, adapters=fake_adapters(config, store=AccountsStore()))
    async with AsyncTestClient(app=app) as client:
        for url in (STREAMING, f"{STREAMING}?access_token=nobody-issued-this"):
            with pytest.raises(WebSocketDisconnect) as refused, await client.websocket_connect(url):
                pass
            assert refused.value.code == 4401  # HTTP 401 where the server can send one


async def test_a_socket_sending_too_many_messages_is_closed(tmp_path: Path) -> None:
    config = settings(tmp_path, stream_messages_per_minute=2)
    app = create_app(config, adapters=fake_adapters(config, store=AccountsStore()))
    async with AsyncTestClient(app=app) as client:
        token = await _token(client, "alice")
        url = f"{STREAMING}?access_token={token}"
        with await client.websocket_connect(url, subprotocols=[token]) as socket:
            assert socket.accepted_subprotocol == token
            for _ in range(3):
                socket.send_text(json.dumps({"type": "subscribe", "stream": "user"}))
            code, reason = _refused(socket)
        assert code == 4429 and "too many messages" in reason
