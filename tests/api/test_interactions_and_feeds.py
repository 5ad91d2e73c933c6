"""Likes, comments, shares, bookmarks, the home feed and browsing through HTTP (INT-*, FEED-*)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, bearer, eventually
from tests.api.test_posts import ready
from tests.media_files import jpeg


async def publish(api: Api, token: str, caption: str, **extra: Any) -> dict[str, Any]:
    media = await ready(api, token, jpeg((320, 240)), "p.jpg")
    body = {"caption": caption, "media_ids": [media["id"]], **extra}
    response = await api.client.post("/api/v1/posts", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def follow(api: Api, token: str, username: str) -> None:
    response = await api.client.post(f"/api/v1/users/{username}/follow", headers=bearer(token))
    assert response.status_code == 200, response.text


async def captions(api: Api, token: str) -> list[str]:
    response = await api.client.get("/api/v1/feed", headers=bearer(token))
    assert response.status_code == 200, response.text
    return [
        (f"{i['shared_by']['username']}>" if i["shared_by"] else "") + i["post"]["caption"]
        for i in response.json()["items"]
    ]


async def test_likes_comments_shares_and_bookmarks(worker_api: Api) -> None:
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    post = await publish(api, alice, "Nasi goreng #food")
    url = f"/api/v1/posts/{post['id']}"

    liked = await api.client.post(f"{url}/like", headers=bearer(bob))
    assert liked.status_code == 200 and liked.json() == {"liked": True, "likes_count": 1}
    assert (await api.client.post(f"{url}/like", headers=bearer(bob))).json()["likes_count"] == 1
    likers = (await api.client.get(f"{url}/likes")).json()
    assert [u["username"] for u in likers["items"]] == ["bob"] and likers["next_cursor"] is None
    seen = (await api.client.get(url, headers=bearer(bob))).json()
    assert (seen["liked"], seen["likes_count"]) == (True, 1)

    comment = await api.client.post(f"{url}/comments", json={"text": "Enak!"}, headers=bearer(bob))
    assert comment.status_code == 201, comment.text
    assert comment.json()["author"]["username"] == "bob" and comment.json()["parent_id"] is None
    reply = await api.client.post(
        f"{url}/comments",
        json={"text": "Makasih", "parent_id": comment.json()["id"]},
        headers=bearer(alice),
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == comment.json()["id"]
    top = (await api.client.get(f"{url}/comments")).json()["items"]
    assert [(c["text"], c["replies_count"]) for c in top] == [("Enak!", 1)]
    replies = await api.client.get(f"{url}/comments", params={"parent_id": comment.json()["id"]})
    assert [c["text"] for c in replies.json()["items"]] == ["Makasih"]
    empty = await api.client.post(f"{url}/comments", json={"text": " "}, headers=bearer(bob))
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "text"

    shared = await api.client.post(f"{url}/share", headers=bearer(bob))
    assert shared.json() == {"shared": True, "shares_count": 1}
    own = await api.client.post(f"{url}/share", headers=bearer(alice))
    assert own.status_code == 403
    saved = await api.client.post(f"{url}/bookmark", headers=bearer(bob))
    assert saved.json() == {"bookmarked": True}
    bookmarks = (await api.client.get("/api/v1/me/bookmarks", headers=bearer(bob))).json()
    assert [p["id"] for p in bookmarks["items"]] == [post["id"]]
    assert bookmarks["items"][0]["bookmarked"] is True

    gone = await api.client.delete(
        f"/api/v1/comments/{comment.json()['id']}", headers=bearer(alice)
    )
    assert gone.status_code == 204
    counts = (await api.client.get(url)).json()
    assert (counts["likes_count"], counts["comments_count"], counts["shares_count"]) == (1, 0, 1)
    assert (await api.client.delete(f"{url}/like", headers=bearer(bob))).json()["liked"] is False

    closed = await api.client.patch(url, json={"comments_enabled": False}, headers=bearer(alice))
    assert closed.status_code == 200
    refused = await api.client.post(f"{url}/comments", json={"text": "hi"}, headers=bearer(bob))
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await api.client.post(f"{url}/like")).status_code == 401


async def test_blocked_and_private_mean_not_found(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol = [await api.token_for(n) for n in ("alice", "bob", "carol")]
    post = await publish(api, alice, "mine")
    url = f"/api/v1/posts/{post['id']}"
    await api.client.post("/api/v1/users/bob/block", headers=bearer(alice))
    for method, path in [("POST", "/like"), ("POST", "/share"), ("GET", "/comments"), ("GET", "")]:
        response = await api.client.request(method, url + path, headers=bearer(bob))
        assert response.status_code == 404, (method, path, response.text)
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(alice))
    for path in ("", "/likes", "/comments"):
        assert (await api.client.get(url + path)).status_code == 404
        assert (await api.client.get(url + path, headers=bearer(carol))).status_code == 404
    assert (await api.client.get("/api/v1/users/alice/posts")).status_code == 404


async def test_home_feed_profile_grid_tags_and_explore(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol = [await api.token_for(n) for n in ("alice", "bob", "carol")]
    await follow(api, bob, "alice")
    await follow(api, bob, "carol")
    first = await publish(api, alice, "Pagi di #Bromo")
    await publish(api, carol, "Senja di #Bali")
    await api.client.post(f"/api/v1/posts/{first['id']}/share", headers=bearer(carol))
    await publish(api, bob, "My own #bali trip")

    async def all_arrived() -> bool:
        return len(await captions(api, bob)) == 4

    await eventually(all_arrived)
    assert await captions(api, bob) == [
        "My own #bali trip",
        "carol>Pagi di #Bromo",
        "Senja di #Bali",
        "Pagi di #Bromo",
    ]
    feed = (await api.client.get("/api/v1/feed", headers=bearer(bob))).json()["items"]
    assert [i["kind"] for i in feed] == ["post", "share", "post", "post"]
    assert feed[1]["id"] != feed[1]["post"]["id"] and feed[3]["id"] == feed[3]["post"]["id"]

    walked: list[str] = []
    cursor = None
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = (await api.client.get("/api/v1/feed", params=params, headers=bearer(bob))).json()
        walked += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == [i["id"] for i in feed]

    grid = (await api.client.get("/api/v1/users/alice/posts")).json()
    assert [p["caption"] for p in grid["items"]] == ["Pagi di #Bromo"]
    tagged = (await api.client.get("/api/v1/tags/BALI/posts")).json()
    assert [p["caption"] for p in tagged["items"]] == ["My own #bali trip", "Senja di #Bali"]
    await api.client.post(f"/api/v1/posts/{first['id']}/like", headers=bearer(bob))
    explore = (await api.client.get("/api/v1/explore", params={"limit": 2})).json()
    assert explore["items"][0]["id"] == first["id"]  # a like and a share: the most engaging
    rest = (
        await api.client.get(
            "/api/v1/explore", params={"limit": 2, "cursor": explore["next_cursor"]}
        )
    ).json()
    assert len(explore["items"]) + len(rest["items"]) == 3
    bad = await api.client.get("/api/v1/explore", params={"cursor": "nonsense"})
    assert bad.status_code == 422
    assert (await api.client.get("/api/v1/feed")).status_code == 401


async def test_explore_leaves_out_what_changed_since_its_ranking(worker_api: Api) -> None:
    """Explore ranks from a snapshot kept a minute per process; what it shows is read fresh:
    an author gone private, a deleted post or a blocked author leave it at once, also for a
    follower (who may see the private author's post elsewhere)."""
    api = worker_api
    alice, bob, carol, dave = [await api.token_for(n) for n in ("alice", "bob", "carol", "dave")]
    await follow(api, bob, "alice")
    mine = await publish(api, alice, "Pagi di #Bromo")
    gone = await publish(api, carol, "Senja di #Bali")
    blocked = await publish(api, dave, "Kopi")
    await api.client.post(f"/api/v1/posts/{mine['id']}/like", headers=bearer(carol))

    async def explore() -> list[str]:
        page = (await api.client.get("/api/v1/explore", headers=bearer(bob))).json()
        return [p["id"] for p in page["items"]]

    assert await explore() == [mine["id"], blocked["id"], gone["id"]]  # ties: newest id first
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(alice))
    assert (
        await api.client.delete(f"/api/v1/posts/{gone['id']}", headers=bearer(carol))
    ).is_success
    await api.client.post("/api/v1/users/dave/block", headers=bearer(bob))
    assert await explore() == []
    grid = (await api.client.get("/api/v1/users/alice/posts", headers=bearer(bob))).json()
    assert [p["id"] for p in grid["items"]] == [mine["id"]]  # bob follows alice: still his to see


async def test_places_nearby_by_distance_and_by_time(worker_api: Api) -> None:
    api = worker_api
    alice = await api.token_for("alice")
    places = {
        "Monas": (-6.1754, 106.8272),
        "Kota Tua": (-6.1352, 106.8133),
        "Bandung": (-6.9175, 107.6191),
    }
    for name, (lat, lon) in places.items():
        await publish(
            api, alice, f"At {name}", place={"name": name, "latitude": lat, "longitude": lon}
        )
    near: dict[str, float | str] = {"lat": -6.1754, "lon": 106.8272, "radius_km": 10}

    async def indexed() -> bool:
        found = (await api.client.get("/api/v1/places/nearby", params=near)).json()
        return len(found["items"]) == 2

    await eventually(indexed)
    by_distance = (await api.client.get("/api/v1/places/nearby", params=near | {"limit": 1})).json()
    assert [p["place"]["name"] for p in by_distance["items"]] == ["Monas"]
    rest = (
        await api.client.get(
            "/api/v1/places/nearby", params=near | {"cursor": by_distance["next_cursor"]}
        )
    ).json()
    assert [p["place"]["name"] for p in rest["items"]] == ["Kota Tua"]
    recent = (
        await api.client.get("/api/v1/places/nearby", params=near | {"sort": "recent"})
    ).json()
    assert [p["place"]["name"] for p in recent["items"]] == ["Kota Tua", "Monas"]
    bad_params: tuple[dict[str, float | str], ...] = (
        {"radius_km": 51},
        {"lat": 91},
        {"sort": "random"},
        {"cursor": "x"},
    )
    for bad in bad_params:
        response = await api.client.get("/api/v1/places/nearby", params=near | bad)
        assert response.status_code == 422, (bad, response.text)
