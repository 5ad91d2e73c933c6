"""``WS /api/v1/streaming`` for real: a ``social serve`` process on every real service (the
native stream's events go through Redis from the in-process jobs), app tokens from
``/oauth/token``, and a WebSocket client speaking Mastodon's streaming protocol."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus

from social.settings import Settings
from tests.api.conftest import PASSWORD
from tests.integration.conftest import production, worker_environment  # noqa: F401
from tests.media_files import jpeg
from tests.served import free_port, serving


@dataclass
class Server:
    client: httpx.AsyncClient
    ws: str

    async def person(self, name: str, scopes: str = "read write follow") -> Person:
        body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
        registered = await self.client.post("/api/v1/auth/register", json=body)
        assert registered.status_code == 201, registered.text
        app = await self.client.post(
            "/api/v1/apps",
            data={"client_name": "streamer", "scopes": scopes, "redirect_uris": _OOB},
        )
        assert app.status_code == 200, app.text
        grant = {
            "grant_type": "password",
            "username": name,
            "password": PASSWORD,
            "client_id": app.json()["client_id"],
            "client_secret": app.json()["client_secret"],
            "scope": scopes,
        }
        token = await self.client.post("/oauth/token", data=grant)
        assert token.status_code == 200, token.text
        return Person(
            name,
            str(registered.json()["user"]["id"]),
            str(registered.json()["tokens"]["access_token"]),
            str(token.json()["access_token"]),
            {k: str(app.json()[k]) for k in ("client_id", "client_secret")},
        )


@dataclass(frozen=True)
class Person:
    name: str
    id: str
    jwt: str
    app_token: str
    client: dict[str, str]
    """The app's ``client_id`` and ``client_secret``."""

    @property
    def native(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.jwt}"}

    @property
    def app(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.app_token}"}


_OOB = "urn:ietf:wg:oauth:2.0:oob"


@pytest.fixture
async def server(production: Settings) -> AsyncIterator[Server]:  # noqa: F811
    port = free_port()
    env = worker_environment(
        production,
        run_worker_in_process="true",
        log_level="WARNING",
        stream_heartbeat_s="1",
        rate_limit_login="1000",
        rate_limit_register="1000",
    )
    env = {k: v for k, v in env.items() if not k.startswith("SOCIAL_TEST_")}
    async with serving(env, "--port", str(port)) as served:
        yield Server(served.client, f"ws://127.0.0.1:{port}/api/v1/streaming")


async def _post(server: Server, author: Person, caption: str = "a walk #outside") -> str:
    files = {"file": ("p.jpg", jpeg((64, 48)), "image/jpeg")}
    client = server.client
    media = (await client.post("/api/v1/media", files=files, headers=author.native)).json()
    for _ in range(600):
        state = (await client.get(f"/api/v1/media/{media['id']}", headers=author.native)).json()
        if state["status"] != "processing":
            break
        await asyncio.sleep(0.1)
    body = {"caption": caption, "media_ids": [media["id"]]}
    created = await client.post("/api/v1/posts", json=body, headers=author.native)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _in_home_feed(server: Server, reader: Person, post_id: str) -> None:
    """Waits until the fan-out job has run: it announces the post as it writes the feeds."""
    for _ in range(300):
        feed = (await server.client.get("/api/v1/feed", headers=reader.native)).json()
        if any(item["post"]["id"] == post_id for item in feed["items"]):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the post never reached the feed")


async def _notified(server: Server, person: Person) -> None:
    """Waits until ``person`` has a notification (the job that makes it runs meanwhile)."""
    for _ in range(300):
        listed = (await server.client.get("/api/v1/notifications", headers=person.native)).json()
        if listed["items"]:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("no notification came")


async def _next(ws: ClientConnection, seconds: float = 15) -> dict[str, Any]:
    async with asyncio.timeout(seconds):
        message: dict[str, Any] = json.loads(await ws.recv())
        return message


async def _follow(server: Server, follower: Person, followed: Person) -> None:
    response = await server.client.post(
        f"/api/v1/users/{followed.name}/follow", headers=follower.native
    )
    assert response.status_code in (200, 201), response.text


async def test_updates_notifications_and_deletes_reach_the_user_stream(server: Server) -> None:
    alice, bob = await server.person("alice"), await server.person("bob")
    await _follow(server, bob, alice)
    await _notified(server, alice)  # the follow's, before alice's socket opens
    async with (
        websockets.connect(server.ws, additional_headers=bob.app) as bobs,
        websockets.connect(f"{server.ws}?stream=user&access_token={alice.app_token}") as alices,
    ):
        await bobs.send(json.dumps({"type": "subscribe", "stream": "user"}))
        await asyncio.sleep(0.2)  # the subscription is read before the post goes out
        post_id = await _post(server, alice)

        update = await _next(bobs)
        assert (update["stream"], update["event"]) == (["user"], "update")
        status = json.loads(update["payload"])
        assert (status["id"], status["account"]["id"]) == (post_id, alice.id)
        assert status["content"].startswith("<p>a walk ")  # safe HTML, the tag linked
        assert status["url"].startswith("http://127.0.0.1:")  # an HTTP URL, not the socket's
        assert status["media_attachments"][0]["type"] == "image"

        liked = await server.client.post(f"/api/v1/posts/{post_id}/like", headers=bob.native)
        assert liked.status_code == 200, liked.text
        notification = await _next(alices)
        assert (notification["stream"], notification["event"]) == (["user"], "notification")
        body = json.loads(notification["payload"])
        assert body["type"] == "favourite" and body["account"]["id"] == bob.id
        assert body["status"]["id"] == post_id

        deleted = await server.client.delete(f"/api/v1/posts/{post_id}", headers=alice.native)
        assert deleted.status_code == 204, deleted.text
        assert await _next(bobs) == {"stream": ["user"], "event": "delete", "payload": post_id}


async def test_the_notification_stream_carries_no_updates(server: Server) -> None:
    alice, bob = await server.person("alice"), await server.person("bob")
    await _follow(server, bob, alice)
    url = f"{server.ws}?stream=user:notification"
    async with websockets.connect(url, subprotocols=[bob.app_token]) as bobs:  # type: ignore[list-item]
        assert bobs.subprotocol == bob.app_token  # echoed, as browsers require
        post_id = await _post(server, alice)
        await _in_home_feed(server, bob, post_id)  # announced: the socket heard and skipped it
        await _follow(server, alice, bob)
        message = await _next(bobs)
        assert (message["stream"], message["event"]) == (["user:notification"], "notification")
        assert json.loads(message["payload"])["type"] == "follow"


async def test_unsubscribing_stops_the_events(server: Server) -> None:
    alice, bob = await server.person("alice"), await server.person("bob")
    await _follow(server, bob, alice)
    async with websockets.connect(f"{server.ws}?stream=user", additional_headers=bob.app) as ws:
        first = await _post(server, alice)
        assert json.loads((await _next(ws))["payload"])["id"] == first
        await ws.send(json.dumps({"type": "unsubscribe", "stream": "user"}))
        await ws.send(json.dumps({"type": "subscribe", "stream": "user:notification"}))
        await asyncio.sleep(0.2)
        second = await _post(server, alice)
        await _in_home_feed(server, bob, second)
        await _follow(server, alice, bob)
        message = await _next(ws)
        assert (message["stream"], message["event"]) == (["user:notification"], "notification")


async def test_streams_need_their_scopes(server: Server) -> None:
    carol = await server.person("carol", scopes="read:notifications")
    async with websockets.connect(f"{server.ws}/", additional_headers=carol.app) as ws:
        await ws.send(json.dumps({"type": "subscribe", "stream": "user"}))
        assert await _next(ws) == {
            "error": "Access token does not have the required scopes",
            "status": 401,
        }
        await ws.send(json.dumps({"type": "subscribe", "stream": "public"}))
        assert await _next(ws) == {"error": "Unknown stream type", "status": 400}


async def test_bad_tokens_are_refused_and_a_revoked_token_closes_the_socket(
    server: Server,
) -> None:
    for token in ("an-app-token-nobody-issued", "a.bad.jwt"):
        with pytest.raises(InvalidStatus) as refused:
            async with websockets.connect(f"{server.ws}?access_token={token}"):
                pass
        assert refused.value.response.status_code == 401
        assert json.loads(refused.value.response.body or b"{}") == {"error": "Invalid access token"}
    with pytest.raises(InvalidStatus) as anonymous:
        async with websockets.connect(server.ws):
            pass
    assert anonymous.value.response.status_code == 401

    dave = await server.person("dave")
    async with websockets.connect(server.ws, additional_headers=dave.app) as ws:
        revoked = await server.client.post(
            "/oauth/revoke", data={"token": dave.app_token, **dave.client}
        )
        assert revoked.status_code == 200, revoked.text
        with pytest.raises(ConnectionClosed) as closed:
            await _next(ws, 15)  # the next heartbeat's session check (every second here)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_the_health_check(server: Server) -> None:
    health = await server.client.get("/api/v1/streaming/health")
    assert (health.status_code, health.text) == (200, "OK")
    assert health.headers["content-type"].startswith("text/plain")
