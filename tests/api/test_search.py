"""Search and discovery through HTTP on the PostgreSQL adapter (SRCH-1, SRCH-3)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, bearer, eventually
from tests.api.test_interactions_and_feeds import publish


async def search(api: Api, q: str, kind: str = "posts", token: str | None = None) -> Any:
    headers = bearer(token) if token else {}
    response = await api.client.get(
        "/api/v1/search", params={"q": q, "type": kind}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_posts_people_tags_and_places(worker_api: Api) -> None:
    api = worker_api
    alice = await api.token_for("alice")
    bob = await api.token_for("bob")
    await api.client.patch(
        "/api/v1/me", json={"display_name": "Alíce Wijaya"}, headers=bearer(alice)
    )
    coffee = await publish(
        api,
        alice,
        "Kópi susu di #Bandung #kopi",
        place={"name": "Braga Street", "latitude": -6.9175, "longitude": 107.6094},
    )
    await publish(api, bob, "Kopi tubruk #kopi #KopiLuwak")
    await publish(api, bob, "Nasi goreng #makan")

    async def synced() -> bool:
        return len((await search(api, "kopi"))["items"]) == 2

    await eventually(synced, 30)
    found = (await search(api, "kopi susu"))["items"]
    assert [p["id"] for p in found] == [coffee["id"]]
    assert [p["id"] for p in (await search(api, "braga", "places"))["items"]] == [coffee["id"]]
    people = (await search(api, "wija", "users"))["items"]
    assert [u["username"] for u in people] == ["alice"]
    assert [u["username"] for u in (await search(api, "@b", "users"))["items"]] == ["bob"]
    tags = (await search(api, "kop", "tags"))["items"]
    assert tags == [{"name": "kopi", "posts_count": 2}, {"name": "kopiluwak", "posts_count": 1}]
    summary = (await api.client.get("/api/v1/tags/%23KOPI")).json()
    assert summary == {"name": "kopi", "posts_count": 2}
    trending = (await api.client.get("/api/v1/tags/trending", params={"limit": 1})).json()
    assert trending["items"] == [{"name": "kopi", "posts_count": 2}]

    await api.client.post("/api/v1/users/bob/block", headers=bearer(alice))
    mine = (await search(api, "kopi", token=alice))["items"]
    assert [p["author"]["username"] for p in mine] == ["alice"]  # bob's is hidden from her
    assert (await search(api, "bo", "users", token=alice))["items"] == []


async def test_bad_queries_are_422_and_private_posts_stay_out(worker_api: Api) -> None:
    api = worker_api
    carol = await api.token_for("carol")
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(carol))
    await publish(api, carol, "Rahasia #secret")
    for params in ({"q": ""}, {"q": "x", "type": "nothing"}, {"q": "x" * 201}):
        response = await api.client.get("/api/v1/search", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")

    async def synced() -> bool:
        found = (await search(api, "carol", "users"))["items"]
        return bool(found)

    await eventually(synced, 30)
    assert (await search(api, "rahasia"))["items"] == []
    assert (await api.client.get("/api/v1/tags/secret")).json()["posts_count"] == 0
