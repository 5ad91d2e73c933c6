"""Web Push through HTTP (NOTIF-3), on the real adapters: the VAPID key (generated into the
data directory), subscribing a device (the real endpoint guard refuses http, private and
metadata addresses), unsubscribing it, and a follow pushed to it by the in-process worker."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import httpx
import pytest

from social.adapters.postgres.database import Database
from social.app import create_app
from social.bootstrap import open_adapters
from tests.api.conftest import PASSWORD, Api, api_settings, bearer, eventually
from tests.fakes.push import RecordingPushSender, browser_keys

PUBLIC_ENDPOINT = "https://142.250.0.1/fcm/send/a-device-token"
"""A public address literal: the guard allows it without a name lookup."""
PROBLEM = "application/problem+json"


def subscription(endpoint: str = PUBLIC_ENDPOINT, **extra: Any) -> dict[str, Any]:
    p256dh, auth = browser_keys()
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}} | extra


def refused(response: httpx.Response) -> set[str]:
    """The fields a 422 problem names."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == "/problems/validation-failed"
    return {e["field"] for e in body["errors"]}


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def test_the_vapid_key_is_a_p256_point_anyone_may_read_and_cache(
    api: Api, tmp_path: Path
) -> None:
    response = await api.client.get("/api/v1/push/vapid-key")
    assert response.status_code == 200, response.text
    key = response.json()["public_key"]
    point = unb64(key)
    assert len(point) == 65 and point[0] == 0x04 and "=" not in key
    assert response.headers["cache-control"] == "max-age=3600, public"
    assert (tmp_path / "vapid_private_key.pem").stat().st_mode & 0o777 == 0o600
    again = await api.client.get("/api/v1/push/vapid-key")
    assert again.json()["public_key"] == key


async def test_subscribing_answers_the_devices_id_the_same_for_the_same_endpoint(
    api: Api,
) -> None:
    auth = bearer(await api.token_for("alice"))
    first = await api.client.post("/api/v1/push/subscriptions", json=subscription(), headers=auth)
    assert first.status_code == 201, first.text
    assert first.json().keys() == {"id"}
    assert first.headers["ratelimit-limit"] == "10000"  # a write, like every other
    again = await api.client.post(
        "/api/v1/push/subscriptions",
        json=subscription(kinds=["like", "follow"], expirationTime=None),
        headers=auth,
    )
    assert again.status_code == 201, again.text
    assert again.json() == first.json()


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": "BPk" + "A" * 84, "auth": None},  # a p256dh off the curve
        {"p256dh": None, "auth": "c2hvcnQ"},  # 5 bytes
    ],
)
async def test_bad_keys_are_refused_naming_them(api: Api, keys: dict[str, str | None]) -> None:
    auth = bearer(await api.token_for("alice"))
    body = subscription()
    body["keys"] = {name: value or body["keys"][name] for name, value in keys.items()}
    response = await api.client.post("/api/v1/push/subscriptions", json=body, headers=auth)
    assert refused(response) == {f"keys.{name}" for name, value in keys.items() if value}


async def test_an_unknown_kind_or_field_is_refused(api: Api) -> None:
    auth = bearer(await api.token_for("alice"))
    for body in (subscription(kinds=["like", "poke"]), subscription(lang="en")):
        response = await api.client.post("/api/v1/push/subscriptions", json=body, headers=auth)
        assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://142.250.0.1/fcm/send/x",
        "https://127.0.0.1/send/x",
        "https://localhost:8443/send/x",
        "https://10.1.2.3/send/x",
        "https://192.168.0.10/send/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/send/x",
        "https://metadata.google.internal/send/x",
    ],
)
async def test_an_endpoint_off_the_public_internet_is_refused(api: Api, endpoint: str) -> None:
    auth = bearer(await api.token_for("alice"))
    response = await api.client.post(
        "/api/v1/push/subscriptions", json=subscription(endpoint), headers=auth
    )
    assert refused(response) == {"endpoint"}
    assert response.json()["errors"][0]["message"]  # names the rule


async def test_unsubscribing_is_for_ones_own_devices(api: Api) -> None:
    alice = bearer(await api.token_for("alice"))
    bob = bearer(await api.token_for("bob"))
    made = await api.client.post("/api/v1/push/subscriptions", json=subscription(), headers=alice)
    path = f"/api/v1/push/subscriptions/{made.json()['id']}"
    assert (await api.client.delete(path, headers=bob)).status_code == 404
    assert (await api.client.delete(path, headers=alice)).status_code == 204
    gone = await api.client.delete(path, headers=alice)
    assert gone.status_code == 404 and gone.headers["content-type"].startswith(PROBLEM)


async def test_subscribing_and_unsubscribing_need_a_token(api: Api) -> None:
    anonymous = await api.client.post("/api/v1/push/subscriptions", json=subscription())
    assert anonymous.status_code == 401
    path = "/api/v1/push/subscriptions/0190a6d2-0000-7000-8000-000000000001"
    assert (await api.client.delete(path)).status_code == 401


@asynccontextmanager
async def pushing(
    database_url: str, tmp_path: Path, sender: RecordingPushSender
) -> AsyncIterator[httpx.AsyncClient]:
    """The app on its real adapters, with its worker, delivering to ``sender``. Opened and
    run in the test's own task: a test client's portal thread would run the app on another
    event loop, away from the adapters' pools (and a fixture's teardown runs in another task,
    which the lifespan's task group refuses)."""
    settings = api_settings(database_url, tmp_path, run_worker_in_process=True)
    async with open_adapters(settings) as opened:
        assert opened.job_adapters is not None
        adapters = replace(
            opened, push=sender, job_adapters=replace(opened.job_adapters, push=sender)
        )
        app = create_app(settings, adapters=adapters)
        transport = httpx.ASGITransport(app=cast("Any", app))  # Litestar types its ASGI narrower
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        ):
            yield client


async def test_a_follow_is_pushed_to_the_followed_accounts_device(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    sender = RecordingPushSender()

    async def pushed() -> bool:
        return bool(sender.sent)

    async with pushing(database_url, tmp_path, sender) as client:
        _, alice = await register(client, "alice")
        bob_id, bob = await register(client, "bob")
        made = await client.post(
            "/api/v1/push/subscriptions", json=subscription(kinds=["follow"]), headers=alice
        )
        assert made.status_code == 201, made.text
        followed = await client.post("/api/v1/users/alice/follow", headers=bob)
        assert followed.status_code == 200, followed.text
        await eventually(pushed)
    device, message = sender.sent[0]
    assert (str(device.id), device.endpoint) == (made.json()["id"], PUBLIC_ENDPOINT)
    assert message.payload.decode().endswith(
        f'"actor":{{"id":"{bob_id}","username":"bob","display_name":""}},"post_id":null,'
        '"title":"New follower","body":"bob followed you"}'
    )


async def register(client: httpx.AsyncClient, name: str) -> tuple[str, dict[str, str]]:
    """The new account's id and its authorization header."""
    body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    made = response.json()
    return made["user"]["id"], bearer(made["tokens"]["access_token"])
