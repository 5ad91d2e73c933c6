"""Signed-in devices (AUTH-9) and the own block and mute lists (PROF-3), end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from litestar.types import Receive, Scope, Send

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import PASSWORD, Api, api_settings, bearer

PROXY = "10.0.0.7"  # one of SOCIAL_TRUSTED_PROXIES
PHONE = {"User-Agent": "PhoneApp/1.0", "X-Test-Peer": PROXY, "X-Forwarded-For": "198.51.100.23"}
LAPTOP = {"User-Agent": "Laptop Browser/2.0", "X-Test-Peer": "2001:db8:1234:5678::9"}
TABLET = {"User-Agent": "Tablet/3", "X-Test-Peer": "203.0.113.5"}


def peer_from_header(app: Litestar) -> Litestar:
    """The test client always connects from "testclient": take the peer's address from a
    test header instead, so the app sees a real address (and a proxy's forwarded one)."""
    inner = app.asgi_handler

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        for name, value in scope["headers"]:  # lifespan events never come here
            if name == b"x-test-peer":
                scope["client"] = (value.decode(), 5000)
        await inner(scope, receive, send)

    app.asgi_handler = handler
    return app


@pytest.fixture
async def api(database: Database, database_url: str, tmp_path: Path) -> AsyncIterator[Api]:
    settings = api_settings(database_url, tmp_path, trusted_proxies=("10.0.0.0/8",))
    async with AsyncTestClient(app=peer_from_header(create_app(settings))) as client:
        yield Api(client=client, database=database)


async def _sign_up(api: Api, username: str, device: dict[str, str]) -> dict[str, Any]:
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    response = await api.client.post("/api/v1/auth/register", json=body, headers=device)
    assert response.status_code == 201, response.text
    tokens: dict[str, Any] = response.json()["tokens"]
    return tokens


async def _sign_in(api: Api, username: str, device: dict[str, str]) -> dict[str, Any]:
    body = {"login": username, "password": PASSWORD}
    response = await api.client.post("/api/v1/auth/login", json=body, headers=device)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def _sessions(api: Api, tokens: dict[str, Any]) -> list[dict[str, Any]]:
    response = await api.client.get("/api/v1/me/sessions", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def _works(api: Api, tokens: dict[str, Any]) -> bool:
    me = await api.client.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    return me.status_code == 200


async def _refreshes(api: Api, tokens: dict[str, Any]) -> bool:
    body = {"refresh_token": tokens["refresh_token"]}
    return (await api.client.post("/api/v1/auth/refresh", json=body)).status_code == 200


async def test_each_device_is_listed_with_its_agent_and_coarse_network(api: Api) -> None:
    await _sign_up(api, "alice", PHONE)
    laptop = await _sign_in(api, "alice", LAPTOP)
    listed = await _sessions(api, laptop)
    assert [(s["user_agent"], s["ip"], s["current"]) for s in listed] == [
        ("Laptop Browser/2.0", "2001:db8:1234::/48", True),
        ("PhoneApp/1.0", "198.51.100.0/24", False),  # the forwarded client, not the proxy
    ]
    assert set(listed[0]) == {"id", "created_at", "last_used_at", "user_agent", "ip", "current"}
    assert listed[0]["last_used_at"] >= listed[0]["created_at"]
    assert (await api.client.get("/api/v1/me/sessions")).status_code == 401


async def test_revoking_a_device_refuses_its_tokens(api: Api) -> None:
    phone = await _sign_up(api, "alice", PHONE)
    laptop = await _sign_in(api, "alice", LAPTOP)
    phone_id = next(s["id"] for s in await _sessions(api, laptop) if not s["current"])
    revoked = await api.client.delete(
        f"/api/v1/me/sessions/{phone_id}", headers=bearer(laptop["access_token"])
    )
    assert revoked.status_code == 204
    assert not await _works(api, phone)
    assert not await _refreshes(api, phone)
    assert await _works(api, laptop)
    assert [s["current"] for s in await _sessions(api, laptop)] == [True]


async def test_revoking_all_others_keeps_the_current_one(api: Api) -> None:
    phone = await _sign_up(api, "alice", PHONE)
    tablet = await _sign_in(api, "alice", TABLET)
    laptop = await _sign_in(api, "alice", LAPTOP)
    response = await api.client.delete(
        "/api/v1/me/sessions", headers=bearer(laptop["access_token"])
    )
    assert response.status_code == 204
    for gone in (phone, tablet):
        assert not await _works(api, gone)
        assert not await _refreshes(api, gone)
    assert await _works(api, laptop)
    assert [s["user_agent"] for s in await _sessions(api, laptop)] == ["Laptop Browser/2.0"]
    assert await _refreshes(api, laptop)  # and the current device goes on refreshing


async def test_another_user_can_neither_list_nor_revoke_your_sessions(api: Api) -> None:
    alice = await _sign_up(api, "alice", PHONE)
    mallory = await _sign_up(api, "mallory", LAPTOP)
    (alice_session,) = await _sessions(api, alice)
    assert [s["user_agent"] for s in await _sessions(api, mallory)] == ["Laptop Browser/2.0"]
    for target in (alice_session["id"], "0190a000-0000-7000-8000-000000000000"):
        refused = await api.client.delete(
            f"/api/v1/me/sessions/{target}", headers=bearer(mallory["access_token"])
        )
        assert refused.status_code == 404
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert await _works(api, alice)


async def _pages(api: Api, path: str, token: str, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    url = f"{path}?limit={limit}"
    while True:
        response = await api.client.get(url, headers=bearer(token))
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append([user["username"] for user in page["items"]])
        if page["next_cursor"] is None:
            return pages
        url = f"{path}?limit={limit}&cursor={page['next_cursor']}"


@pytest.mark.parametrize("kind", ["block", "mute"])
async def test_the_own_block_and_mute_lists_page_and_are_undone_from_them(
    api: Api, kind: str
) -> None:
    path = f"/api/v1/me/{kind}s"
    alice = await api.token_for("alice")
    bob = await api.token_for("bob")
    for name in ("user1", "user2", "user3", "user4", "user5"):
        await api.token_for(name)
        response = await api.client.post(f"/api/v1/users/{name}/{kind}", headers=bearer(alice))
        assert response.status_code == 204
    await api.client.post(f"/api/v1/users/user1/{kind}", headers=bearer(bob))
    assert await _pages(api, path, alice, 2) == [["user5", "user4"], ["user3", "user2"], ["user1"]]
    assert await _pages(api, path, bob, 20) == [["user1"]]
    first = (await api.client.get(path, headers=bearer(alice))).json()["items"][0]
    assert (
        first["relationship"][{"block": "blocking", "mute": "muting"}[kind]] is True
        and "followers_count" in first
    )
    undone = await api.client.delete(f"/api/v1/users/user5/{kind}", headers=bearer(alice))
    assert undone.status_code == 204
    assert await _pages(api, path, alice, 20) == [["user4", "user3", "user2", "user1"]]
    assert (await api.client.get(path)).status_code == 401
    assert (
        await api.client.get(f"{path}?cursor=nonsense", headers=bearer(alice))
    ).status_code == 422


async def test_the_openapi_document_describes_them(api: Api) -> None:
    document = (await api.client.get("/schema/openapi.json")).json()
    paths = document["paths"]
    assert paths["/api/v1/me/sessions"]["get"]["operationId"] == "listSessions"
    assert paths["/api/v1/me/sessions"]["delete"]["operationId"] == "revokeOtherSessions"
    one = paths["/api/v1/me/sessions/{session_id}"]["delete"]
    assert one["operationId"] == "revokeSession" and "404" in one["responses"]
    listed = paths["/api/v1/me/sessions"]["get"]["responses"]["200"]["content"]
    item = listed["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[-1]
    fields = document["components"]["schemas"][item]["properties"]
    assert set(fields) == {"id", "created_at", "last_used_at", "user_agent", "ip", "current"}
    for kind in ("blocks", "mutes"):
        operation = paths[f"/api/v1/me/{kind}"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"limit", "cursor"} <= names
        page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert page.endswith("/UserPageOut")
