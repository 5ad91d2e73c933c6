"""Timelines in Mastodon's shape: home (shares as reblogs), tag and public; Link pagination
that walks a list once with no gap, plain ids as ``max_id``, ``min_id``/``since_id``; privacy."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from social.app import create_app
from tests.api.conftest import Api, api_settings, bearer
from tests.api.mastodon.helpers import asgi_get, feed_holds, feed_ids, lifespan, links, walk
from tests.api.test_interactions_and_feeds import follow, publish


async def test_home_walks_45_posts_in_pages_of_20_with_no_gap(worker_api: Api) -> None:
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    await follow(api, bob, "alice")
    posts = []
    for i in range(45):
        posts.append((await publish(api, alice, f"post {i} #walk"))["id"])
    await feed_holds(api, bob, 45)
    newest_first = posts[::-1]
    assert await feed_ids(api, bob) == newest_first

    walked = await walk(api, "/api/v1/timelines/home", bob, limit=20)
    assert walked == newest_first  # every post once, in order

    # a client paging by the last status id it holds gets the same
    by_ids: list[str] = []
    params: dict[str, str | int] = {"limit": 20}
    while True:
        page = (
            await api.client.get("/api/v1/timelines/home", params=params, headers=bearer(bob))
        ).json()
        if not page:
            break
        by_ids += [s["id"] for s in page]
        params = {"limit": 20, "max_id": page[-1]["id"]}
    assert by_ids == newest_first

    # prev (min_id) and since_id: only what is newer
    first = await api.client.get("/api/v1/timelines/home", params={"limit": 5}, headers=bearer(bob))
    prev = links(first)["prev"]
    assert set(prev) == {"limit", "min_id"}
    fresh = [(await publish(api, alice, f"fresh {i}"))["id"] for i in range(2)]
    await feed_holds(api, bob, 47)
    newer = await api.client.get("/api/v1/timelines/home", params=prev, headers=bearer(bob))
    assert [s["id"] for s in newer.json()] == fresh[::-1]
    since = await api.client.get(
        "/api/v1/timelines/home", params={"since_id": posts[-1]}, headers=bearer(bob)
    )
    assert [s["id"] for s in since.json()] == fresh[::-1]
    nothing = await api.client.get(
        "/api/v1/timelines/home", params={"min_id": fresh[-1]}, headers=bearer(bob)
    )
    assert nothing.json() == [] and "link" not in nothing.headers


async def test_home_statuses_and_shares_as_reblogs(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol = [await api.token_for(n) for n in ("alice", "bob", "carol")]
    await follow(api, bob, "carol")
    post = await publish(api, alice, "Sunset #beach with @carol")
    shared = await api.client.post(f"/api/v1/posts/{post['id']}/share", headers=bearer(carol))
    assert shared.status_code == 200
    await feed_holds(api, bob, 1)
    response = await api.client.get("/api/v1/timelines/home", headers=bearer(bob))
    assert response.status_code == 200
    (reblog,) = response.json()
    assert reblog["account"]["username"] == "carol" and reblog["content"] == ""
    inner = reblog["reblog"]
    assert inner["id"] == post["id"] and inner["account"]["acct"] == "alice"
    assert inner["text"] == "Sunset #beach with @carol"
    assert 'class="mention hashtag"' in inner["content"] and "/tags/beach" in inner["content"]
    assert inner["mentions"][0]["acct"] == "carol"
    carol_id = reblog["account"]["id"]
    assert inner["mentions"][0]["id"] == carol_id
    assert inner["reblogs_count"] == 1 and inner["visibility"] == "public"
    (media,) = inner["media_attachments"]
    assert media["type"] == "image" and media["url"].startswith("http")
    assert inner["created_at"].endswith("Z") and len(inner["created_at"]) == 24

    assert (await api.client.get("/api/v1/timelines/home")).status_code == 401


async def test_tag_timeline_public_timeline_and_privacy(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol = [await api.token_for(n) for n in ("alice", "bob", "carol")]
    first = await publish(api, alice, "one #Cats")
    second = await publish(api, alice, "two #cats")
    hidden = await publish(api, carol, "three #cats")
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(carol))

    async def tag_ids(token: str | None = None, **params: str) -> list[str]:
        headers = bearer(token) if token else {}
        response = await api.client.get(
            "/api/v1/timelines/tag/cats", params=params, headers=headers
        )
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()]

    assert await tag_ids() == [second["id"], first["id"]]  # anonymous, private carol left out
    assert await tag_ids(bob) == [second["id"], first["id"]]
    assert hidden["id"] not in await tag_ids(carol)  # not even her own: tag pages are public
    assert await walk(api, "/api/v1/timelines/tag/cats", None, limit=1) == [
        second["id"],
        first["id"],
    ]
    assert await tag_ids(min_id=first["id"]) == [second["id"]]
    assert await tag_ids(max_id=second["id"]) == [first["id"]]
    assert await tag_ids(remote="true") == []

    await api.client.post("/api/v1/users/bob/block", headers=bearer(alice))
    assert await tag_ids(bob) == []

    public = await api.client.get("/api/v1/timelines/public", params={"local": "true"})
    assert public.status_code == 200
    ids = [s["id"] for s in public.json()]
    assert set(ids) == {first["id"], second["id"]}
    one = await api.client.get("/api/v1/timelines/public", params={"limit": 1})
    assert len(one.json()) == 1 and "max_id" in links(one)["next"]
    assert await walk(api, "/api/v1/timelines/public", None, limit=1) == ids


async def test_home_of_a_private_account_hides_it_from_those_it_has_not_approved(
    worker_api: Api,
) -> None:
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    await follow(api, bob, "alice")
    post = await publish(api, alice, "before")
    await feed_holds(api, bob, 1)
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(alice))
    # bob follows alice already: he still sees her posts, marked private
    home = (await api.client.get("/api/v1/timelines/home", headers=bearer(bob))).json()
    assert [(s["id"], s["visibility"], s["account"]["locked"]) for s in home] == [
        (post["id"], "private", True)
    ]
    await api.client.delete("/api/v1/users/alice/follow", headers=bearer(bob))
    await asyncio.sleep(0)
    assert (await api.client.get("/api/v1/timelines/home", headers=bearer(bob))).json() == []


async def test_a_home_page_costs_what_the_native_feed_costs(
    worker_api: Api, database_url: str, tmp_path: Path
) -> None:
    """Prints the app's CPU per request for both endpoints on the same page of 20, calling a
    second app on the same database as an ASGI callable in this process (no HTTP client in
    the figures, as benchmarks/feed_profile.py does); no timed assertion: timings vary."""
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    await follow(api, bob, "alice")
    for i in range(20):
        await publish(api, alice, f"post {i} #bench")
    await feed_holds(api, bob, 20)
    app = create_app(api_settings(database_url, tmp_path))
    figures = {}
    async with lifespan(app):
        for path in ("/api/v1/feed", "/api/v1/timelines/home") * 2:  # a first round warms up
            started = time.process_time()
            for _ in range(100):
                status, body = await asgi_get(app, path, bob)
            figures[path] = (time.process_time() - started) / 100 * 1e3
            assert status == 200
            parsed = json.loads(body)
            assert len(parsed["items"] if isinstance(parsed, dict) else parsed) == 20
    print("\nCPU per request (ms):", {path: round(ms, 2) for path, ms in figures.items()})
