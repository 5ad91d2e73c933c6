"""Notifications through HTTP (NOTIF-1): list, unread count, mark read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tests.api.conftest import Api, bearer, eventually
from tests.api.test_interactions_and_feeds import follow, publish


async def test_list_count_and_mark_read(worker_api: Api) -> None:
    api = worker_api
    alice = await api.token_for("alice")
    fans = [await api.token_for(f"fan{i}") for i in range(3)]
    post = await publish(api, alice, "Hello @fan0")
    for fan in fans:
        await follow(api, fan, "alice")

    def arrived(count: int) -> Callable[[], Awaitable[bool]]:
        async def there() -> bool:
            got = await api.client.get("/api/v1/notifications", headers=bearer(alice))
            return len(got.json()["items"]) == count

        return there

    # notifications are stamped when their job runs, and jobs run concurrently: the follows'
    # must be in before the like, so the like is the newest
    await eventually(arrived(3))
    await api.client.post(f"/api/v1/posts/{post['id']}/like", headers=bearer(fans[1]))
    await eventually(arrived(4))
    items = (await api.client.get("/api/v1/notifications", headers=bearer(alice))).json()["items"]
    assert [n["kind"] for n in items] == ["like", "follow", "follow", "follow"]
    assert items[0]["actor"]["username"] == "fan1" and items[0]["post_id"] == post["id"]
    assert all(n["read"] is False for n in items)
    count = await api.client.get("/api/v1/notifications/unread-count", headers=bearer(alice))
    assert count.json() == {"count": 4}

    read = await api.client.post(
        "/api/v1/notifications/read", json={"up_to_id": items[1]["id"]}, headers=bearer(alice)
    )
    assert read.status_code == 204
    count = await api.client.get("/api/v1/notifications/unread-count", headers=bearer(alice))
    assert count.json() == {"count": 1}
    assert (
        await api.client.post("/api/v1/notifications/read", headers=bearer(alice))
    ).status_code == 204
    count = await api.client.get("/api/v1/notifications/unread-count", headers=bearer(alice))
    assert count.json() == {"count": 0}

    async def mentioned() -> bool:
        got = await api.client.get("/api/v1/notifications", headers=bearer(fans[0]))
        return [n["kind"] for n in got.json()["items"]] == ["mention"]

    await eventually(mentioned)
    page = await api.client.get("/api/v1/notifications", params={"limit": 2}, headers=bearer(alice))
    assert len(page.json()["items"]) == 2 and page.json()["next_cursor"]
    assert (await api.client.get("/api/v1/notifications")).status_code == 401
    bad = await api.client.post(
        "/api/v1/notifications/read", json={"up_to_id": "nope"}, headers=bearer(alice)
    )
    assert bad.status_code == 422
