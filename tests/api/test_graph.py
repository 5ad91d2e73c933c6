"""Follows, requests, blocks, mutes and the privacy rules through HTTP (REL-1 … REL-3)."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, bearer


async def follow(api: Api, token: str, username: str) -> str:
    response = await api.client.post(f"/api/v1/users/{username}/follow", headers=bearer(token))
    assert response.status_code == 200, response.text
    return str(response.json()["state"])


async def names(api: Api, path: str, token: str | None = None) -> list[str]:
    response = await api.client.get(path, headers=bearer(token) if token else {})
    assert response.status_code == 200, response.text
    return [user["username"] for user in response.json()["items"]]


async def test_follow_unfollow_and_counts(api: Api) -> None:
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    assert await follow(api, alice, "bob") == "following"
    assert await follow(api, alice, "bob") == "following"
    profile = (await api.client.get("/api/v1/users/bob", headers=bearer(alice))).json()
    assert profile["followers_count"] == 1
    assert profile["relationship"]["following"] is True
    me = (await api.client.get("/api/v1/me", headers=bearer(alice))).json()
    assert me["following_count"] == 1
    assert await names(api, "/api/v1/users/bob/followers") == ["alice"]
    assert await names(api, "/api/v1/users/alice/following") == ["bob"]
    bob_view = (await api.client.get("/api/v1/users/alice", headers=bearer(bob))).json()
    assert bob_view["relationship"]["followed_by"] is True
    gone = await api.client.delete("/api/v1/users/bob/follow", headers=bearer(alice))
    assert gone.status_code == 204
    assert await names(api, "/api/v1/users/bob/followers") == []


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/api/v1/users/alice/follow", 422),  # self-follow
        ("post", "/api/v1/users/nobody/follow", 404),
        ("post", "/api/v1/users/alice/block", 422),
        ("post", "/api/v1/users/alice/mute", 422),
        ("get", "/api/v1/users/nobody/followers", 404),
        ("get", "/api/v1/users/alice/followers?limit=0", 422),
        ("get", "/api/v1/users/alice/followers?limit=101", 422),
        ("get", "/api/v1/users/alice/followers?cursor=garbage", 422),
    ],
)
async def test_bad_graph_requests(api: Api, method: str, path: str, status: int) -> None:
    token = await api.token_for("alice")
    response = await getattr(api.client, method)(path, headers=bearer(token))
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_graph_writes_need_a_token(api: Api) -> None:
    await api.register("alice")
    for method in ("post", "delete"):
        for action in ("follow", "block", "mute"):
            response = await getattr(api.client, method)(f"/api/v1/users/alice/{action}")
            assert response.status_code == 401


async def test_private_accounts_show_lists_to_approved_followers_only(api: Api) -> None:
    owner, stranger, friend = [await api.token_for(n) for n in ("owner", "stranger", "friend")]
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(owner))
    assert await follow(api, friend, "owner") == "requested"
    for token in (None, stranger, friend):
        response = await api.client.get(
            "/api/v1/users/owner/followers", headers=bearer(token) if token else {}
        )
        assert response.status_code == 404
    requests = (await api.client.get("/api/v1/me/follow-requests", headers=bearer(owner))).json()
    assert [r["user"]["username"] for r in requests["items"]] == ["friend"]
    request_id = requests["items"][0]["id"]
    stolen = await api.client.post(
        f"/api/v1/me/follow-requests/{request_id}/approve", headers=bearer(stranger)
    )
    assert stolen.status_code == 404
    approved = await api.client.post(
        f"/api/v1/me/follow-requests/{request_id}/approve", headers=bearer(owner)
    )
    assert approved.status_code == 204
    assert await names(api, "/api/v1/users/owner/followers", friend) == ["friend"]
    assert await names(api, "/api/v1/users/owner/followers", owner) == ["friend"]
    profile = (await api.client.get("/api/v1/users/owner")).json()
    assert profile["is_private"] is True and profile["followers_count"] == 1


async def test_rejected_requests_leave_no_follow(api: Api) -> None:
    owner, fan = await api.token_for("owner"), await api.token_for("fan")
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(owner))
    await follow(api, fan, "owner")
    request_id = (await api.client.get("/api/v1/me/follow-requests", headers=bearer(owner))).json()[
        "items"
    ][0]["id"]
    rejected = await api.client.post(
        f"/api/v1/me/follow-requests/{request_id}/reject", headers=bearer(owner)
    )
    assert rejected.status_code == 204
    seen = (await api.client.get("/api/v1/users/owner", headers=bearer(fan))).json()
    assert seen["relationship"]["requested"] is False and seen["followers_count"] == 0


async def test_blocking_hides_both_ways_and_removes_follows(api: Api) -> None:
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    await follow(api, alice, "bob")
    await follow(api, bob, "alice")
    assert (
        await api.client.post("/api/v1/users/bob/block", headers=bearer(alice))
    ).status_code == 204
    assert (await api.client.get("/api/v1/users/alice", headers=bearer(bob))).status_code == 404
    assert (await api.client.get("/api/v1/users/bob", headers=bearer(alice))).status_code == 404
    assert (
        await api.client.post("/api/v1/users/alice/follow", headers=bearer(bob))
    ).status_code == 404
    assert (await api.client.get("/api/v1/users/bob")).json()["followers_count"] == 0
    assert (await api.client.get("/api/v1/users/alice")).json()["following_count"] == 0
    assert await names(api, "/api/v1/users/alice/followers") == []
    lifted = await api.client.delete("/api/v1/users/bob/block", headers=bearer(alice))
    assert lifted.status_code == 204
    assert (await api.client.get("/api/v1/users/alice", headers=bearer(bob))).status_code == 200


async def test_mute_shows_only_to_the_muter(api: Api) -> None:
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    assert (
        await api.client.post("/api/v1/users/bob/mute", headers=bearer(alice))
    ).status_code == 204
    mine = (await api.client.get("/api/v1/users/bob", headers=bearer(alice))).json()
    theirs = (await api.client.get("/api/v1/users/alice", headers=bearer(bob))).json()
    assert mine["relationship"]["muting"] is True
    assert theirs["relationship"]["muting"] is False
    assert (
        await api.client.delete("/api/v1/users/bob/mute", headers=bearer(alice))
    ).status_code == 204


async def test_follower_pages_never_repeat_or_skip(api: Api) -> None:
    await api.register("star")
    fans = [await api.token_for(f"fan{i:02}") for i in range(7)]
    for token in fans:
        await follow(api, token, "star")
    seen: list[str] = []
    page = (await api.client.get("/api/v1/users/star/followers?limit=3")).json()
    seen += [u["username"] for u in page["items"]]
    await follow(api, await api.token_for("late"), "star")
    while page["next_cursor"]:
        page = (
            await api.client.get(
                f"/api/v1/users/star/followers?limit=3&cursor={page['next_cursor']}"
            )
        ).json()
        seen += [u["username"] for u in page["items"]]
    assert seen == [f"fan{i:02}" for i in reversed(range(7))]
