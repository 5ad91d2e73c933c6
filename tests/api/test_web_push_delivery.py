"""Web Push end to end (NOTIF-3): a device subscribes through HTTP, a like queues a push, the
job worker encrypts, signs and delivers it to a local push service, and the test's browser
decrypts it; a push service answering 410 makes the server forget the device."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import Api, api_settings, bearer, eventually
from tests.api.test_interactions_and_feeds import follow, publish
from tests.push_receiver import Browser, PushReceiver, running_receiver, verify_vapid

SUBJECT = "mailto:push-ops@example.com"
CAPTION = "Secret sunset at the lighthouse #private"


@pytest.fixture
async def receiver() -> AsyncIterator[PushReceiver]:
    async with running_receiver() as running:
        yield running


@pytest.fixture
async def push_api(database: Database, database_url: str, tmp_path: Path) -> AsyncIterator[Api]:
    """The app with its job worker, delivering to loopback push services (tests only)."""
    settings = api_settings(
        database_url,
        tmp_path,
        run_worker_in_process=True,
        push_allow_loopback=True,
        push_vapid_subject=SUBJECT,
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield Api(client=client, database=database)


async def subscribe(
    api: Api, token: str, browser: Browser, endpoint: str, kinds: list[str] | None = None
) -> str:
    body: dict[str, Any] = {
        "endpoint": endpoint,
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
    }
    if kinds is not None:
        body["kinds"] = kinds
    response = await api.client.post("/api/v1/push/subscriptions", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def like(api: Api, token: str, post_id: str) -> None:
    response = await api.client.post(f"/api/v1/posts/{post_id}/like", headers=bearer(token))
    assert response.status_code in (200, 201, 204), response.text


async def pushes_to(receiver: PushReceiver, path: str, count: int) -> None:
    async def arrived() -> bool:
        return sum(r.path == path for r in receiver.requests) >= count

    await eventually(arrived)


async def test_a_like_is_pushed_encrypted_signed_and_without_the_caption(
    push_api: Api, receiver: PushReceiver
) -> None:
    api = push_api
    alice, bob, carol = [await api.token_for(name) for name in ("alice", "bob", "carol")]
    phone = Browser()
    await subscribe(api, alice, phone, receiver.endpoint("/push/phone"), kinds=["like"])
    post = await publish(api, alice, CAPTION)

    await follow(api, carol, "alice")  # a follow: a kind the phone did not ask for
    await like(api, bob, post["id"])
    await pushes_to(receiver, "/push/phone", 1)

    [request] = receiver.requests
    payload = json.loads(phone.decrypt(request.body))
    assert payload["kind"] == "like"
    assert set(payload) == {"notification_id", "kind", "actor", "post_id", "title", "body"}
    assert payload["actor"]["username"] == "bob" and set(payload["actor"]) == {
        "id",
        "username",
        "display_name",
    }
    assert payload["post_id"] == post["id"]
    assert payload["body"] == "bob liked your post"
    assert "lighthouse" not in json.dumps(payload) and "#private" not in json.dumps(payload)
    notifications = await api.client.get("/api/v1/notifications", headers=bearer(alice))
    by_kind = {n["kind"]: n for n in notifications.json()["items"]}
    assert payload["notification_id"] == by_kind["like"]["id"]
    assert "follow" in by_kind  # the follow was notified, just not pushed to this phone

    vapid_key = (await api.client.get("/api/v1/push/vapid-key")).json()["public_key"]
    claims = verify_vapid(request.headers["Authorization"], audience=receiver.origin)
    assert claims.public_key == vapid_key and claims.subject == SUBJECT
    assert request.headers["Content-Encoding"] == "aes128gcm"
    assert 0 < int(request.headers["TTL"]) <= 86_400
    assert request.headers["Urgency"] == "normal"
    assert len(request.headers["Topic"]) <= 32

    await asyncio.sleep(1.0)  # the follow's job, had one been queued, would have run by now
    assert [r.path for r in receiver.requests] == ["/push/phone"]


async def test_a_device_the_push_service_says_is_gone_is_forgotten(
    push_api: Api, receiver: PushReceiver
) -> None:
    api = push_api
    alice, bob, dave = [await api.token_for(name) for name in ("alice", "bob", "dave")]
    phone, laptop = Browser(), Browser()
    phone_id = await subscribe(api, alice, phone, receiver.endpoint("/push/phone"))
    await subscribe(api, alice, laptop, receiver.endpoint("/push/laptop"))
    post = await publish(api, alice, CAPTION)

    receiver.status = 410  # both devices unsubscribed at the push service... for now
    await like(api, bob, post["id"])
    await pushes_to(receiver, "/push/phone", 1)
    await pushes_to(receiver, "/push/laptop", 1)

    async def phone_forgotten() -> bool:
        response = await api.client.delete(
            f"/api/v1/push/subscriptions/{phone_id}", headers=bearer(alice)
        )
        return response.status_code == 404

    await eventually(phone_forgotten)

    # the laptop subscribes again (a new subscription at the push service); the phone does not
    receiver.status = 201
    await subscribe(api, alice, laptop, receiver.endpoint("/push/laptop-2"))
    await like(api, dave, post["id"])
    await pushes_to(receiver, "/push/laptop-2", 1)
    await asyncio.sleep(0.5)
    paths = [r.path for r in receiver.requests]
    assert paths.count("/push/phone") == 1 and paths.count("/push/laptop") == 1
    [latest] = [r for r in receiver.requests if r.path == "/push/laptop-2"]
    assert json.loads(laptop.decrypt(latest.body))["actor"]["username"] == "dave"


async def test_subscribing_a_private_endpoint_is_refused(push_api: Api) -> None:
    alice = await push_api.token_for("alice")
    browser = Browser()
    for endpoint in (
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.7/push",
        "http://push.example.com/push",
        "https://metadata.google.internal/push",
    ):
        response = await push_api.client.post(
            "/api/v1/push/subscriptions",
            json={"endpoint": endpoint, "keys": {"p256dh": browser.p256dh, "auth": browser.auth}},
            headers=bearer(alice),
        )
        assert response.status_code == 422, (endpoint, response.text)
