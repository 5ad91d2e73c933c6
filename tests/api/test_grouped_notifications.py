"""Grouped notifications through HTTP (NOTIF-4), with the job worker running: likes, unlikes,
shares, follows and comments become groups; reading a group; pages; hidden actors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.api.conftest import Api, bearer, eventually
from tests.api.test_interactions_and_feeds import publish

GROUPED = "/api/v1/notifications/grouped"
READ = "/api/v1/notifications/read"


async def grouped(api: Api, token: str, **params: Any) -> dict[str, Any]:
    response = await api.client.get(GROUPED, params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def notified(api: Api, token: str, count: int) -> None:
    """Wait until ``count`` notifications of the recipient are there (jobs run in process)."""

    async def there() -> bool:
        got = await api.client.get(
            "/api/v1/notifications", params={"limit": 100}, headers=bearer(token)
        )
        return len(got.json()["items"]) == count

    await eventually(there)


async def unread(api: Api, token: str) -> int:
    got = await api.client.get("/api/v1/notifications/unread-count", headers=bearer(token))
    count: int = got.json()["count"]
    return count


def actors(group: dict[str, Any]) -> list[str]:
    return [actor["username"] for actor in group["actors"]]


async def test_likes_of_a_post_are_one_group_through_unlikes_and_reads(worker_api: Api) -> None:
    api = worker_api
    bob = await api.token_for("bob")
    fans = [await api.token_for(f"fan{i}") for i in range(5)]
    post = await publish(api, bob, "sunset")
    like = f"/api/v1/posts/{post['id']}/like"
    for i, fan in enumerate(fans):  # one at a time: the notification's time is the job's
        assert (await api.client.post(like, headers=bearer(fan))).status_code == 200
        await notified(api, bob, i + 1)
    page = await grouped(api, bob)
    assert page["next_cursor"] is None
    (group,) = page["items"]
    assert set(group) == {"id", "kind", "post_id", "actors", "actors_count", "latest_at", "read"}
    assert (group["id"], group["kind"]) == (f"like:{post['id']}", "like")
    assert group["post_id"] == post["id"] and group["read"] is False
    assert (actors(group), group["actors_count"]) == (["fan4", "fan3", "fan2"], 5)
    flat = (await api.client.get("/api/v1/notifications", headers=bearer(bob))).json()["items"]
    assert group["actors"][0] == flat[0]["actor"]  # a User, as the flat list's actor
    assert group["latest_at"] == flat[0]["created_at"]
    assert await unread(api, bob) == 5

    assert (await api.client.delete(like, headers=bearer(fans[4]))).json()["liked"] is False
    await notified(api, bob, 4)  # the like is withdrawn: the group stays consistent
    (group,) = (await grouped(api, bob))["items"]
    assert (actors(group), group["actors_count"]) == (["fan3", "fan2", "fan1"], 4)
    assert group["latest_at"] == flat[1]["created_at"]

    read = await api.client.post(READ, json={"group_id": group["id"]}, headers=bearer(bob))
    assert read.status_code == 204, read.text
    (group,) = (await grouped(api, bob))["items"]
    assert group["read"] is True and await unread(api, bob) == 0

    await api.client.post(like, headers=bearer(fans[4]))  # liked again after reading
    await notified(api, bob, 5)
    (again,) = (await grouped(api, bob))["items"]
    assert (again["read"], again["actors_count"], actors(again)[0]) == (False, 5, "fan4")
    assert datetime.fromisoformat(again["latest_at"]) > datetime.fromisoformat(group["latest_at"])
    assert await unread(api, bob) == 1


async def test_shares_follows_and_comments_and_pages(worker_api: Api) -> None:
    api = worker_api
    start = datetime.now(UTC)
    bob, ann, cid = [await api.token_for(name) for name in ("bob", "ann", "cid")]
    first, second = await publish(api, bob, "one"), await publish(api, bob, "two")
    actions = [
        ("post", f"/api/v1/posts/{first['id']}/like", ann, None),
        ("post", f"/api/v1/posts/{second['id']}/like", ann, None),
        ("post", f"/api/v1/posts/{first['id']}/like", cid, None),
        ("post", f"/api/v1/posts/{second['id']}/share", ann, None),
        ("post", f"/api/v1/posts/{second['id']}/share", cid, None),
        ("post", "/api/v1/users/bob/follow", ann, None),
        ("post", "/api/v1/users/bob/follow", cid, None),
        ("post", f"/api/v1/posts/{first['id']}/comments", ann, {"text": "lovely"}),
        ("post", f"/api/v1/posts/{first['id']}/comments", ann, {"text": "really"}),
    ]
    for done, (method, path, token, body) in enumerate(actions, start=1):
        response = await api.client.request(method, path, json=body, headers=bearer(token))
        assert response.status_code in (200, 201), response.text
        await notified(api, bob, done)
    days = {start.date(), datetime.now(UTC).date()}
    items = (await grouped(api, bob))["items"]
    follows = [g for g in items if g["kind"] == "follow"]
    assert sum(g["actors_count"] for g in follows) == 2 and len(follows) <= len(days)
    assert all(g["id"] == f"follow:{g['latest_at'][:10]}" for g in follows)  # a UTC day each
    assert [(g["kind"], actors(g), g["actors_count"]) for g in items if g["kind"] != "follow"] == [
        ("comment", ["ann"], 1),  # a comment is a group of its own
        ("comment", ["ann"], 1),
        ("share", ["cid", "ann"], 2),
        ("like", ["cid", "ann"], 2),  # the first post's group, moved up by cid's like
        ("like", ["ann"], 1),
    ]
    assert [g["post_id"] for g in items if g["kind"] in ("like", "share")] == [
        second["id"],
        first["id"],
        second["id"],
    ]
    walked, cursor = [], None
    for _ in range(len(items) + 1):
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = await grouped(api, bob, **params)
        walked += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == items  # one a page: no repeat, no skip

    one = next(g for g in items if g["kind"] == "comment")
    both = {"group_id": one["id"], "up_to_id": str(first["id"])}
    refused = await api.client.post(READ, json=both, headers=bearer(bob))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "group_id"
    bad = await api.client.post(READ, json={"group_id": "like:everything"}, headers=bearer(bob))
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    unknown = {"group_id": f"like:{first['author']['id']}"}  # no such group: nothing to mark
    assert (await api.client.post(READ, json=unknown, headers=bearer(bob))).status_code == 204
    assert await unread(api, bob) == len(actions)
    marked = await api.client.post(READ, json={"group_id": one["id"]}, headers=bearer(bob))
    assert marked.status_code == 204
    assert await unread(api, bob) == len(actions) - 1
    assert (await api.client.get(GROUPED)).status_code == 401
    bad_cursor = await api.client.get(GROUPED, params={"cursor": "nope"}, headers=bearer(bob))
    assert bad_cursor.status_code == 422


async def test_a_blocked_actor_disappears_from_its_group(worker_api: Api) -> None:
    api = worker_api
    bob = await api.token_for("bob")
    fans = [await api.token_for(f"fan{i}") for i in range(3)]
    post = await publish(api, bob, "hello")
    for i, fan in enumerate(fans):
        await api.client.post(f"/api/v1/posts/{post['id']}/like", headers=bearer(fan))
        await notified(api, bob, i + 1)
    blocked = await api.client.post("/api/v1/users/fan2/block", headers=bearer(bob))
    assert blocked.status_code in (200, 204), blocked.text
    (group,) = (await grouped(api, bob))["items"]
    assert (actors(group), group["actors_count"]) == (["fan1", "fan0"], 2)
    await api.client.post("/api/v1/users/fan1/mute", headers=bearer(bob))
    await api.client.post("/api/v1/users/bob/block", headers=bearer(fans[0]))
    assert (await grouped(api, bob))["items"] == []  # nobody left to show
    assert (await api.client.delete("/api/v1/users/fan1/mute", headers=bearer(bob))).is_success
    (group,) = (await grouped(api, bob))["items"]
    assert (actors(group), group["actors_count"]) == (["fan1"], 1)
