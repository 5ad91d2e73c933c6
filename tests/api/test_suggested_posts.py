"""Suggested posts through HTTP (DISC-2): ``GET /api/v1/suggestions/posts`` ranks recent public
posts by engagement boosted by the viewer's tags and authors, leaves out everything already in
the home feed or hidden, renders each post as explore does and pages without repeats."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from sqlalchemy import text

from social.domain.shared.identity import Role
from tests.api.conftest import Api, bearer
from tests.api.test_interactions_and_feeds import follow, publish
from tests.api.test_moderation import make, user_id

URL = "/api/v1/suggestions/posts"
AUTHORS = ("vic", "ann", "ben", "cat", "lee")
PASSED = ("fay", "bob", "bea", "max", "mia", "pat", "sam")
"""Followed, blocked by or blocking vic, muted by or muting vic, private, suspended."""


async def act(api: Api, token: str, path: str, **body: Any) -> None:
    response = await api.client.post(f"/api/v1/{path}", json=body or None, headers=bearer(token))
    assert response.status_code in (200, 201, 204), (path, response.text)


async def suggested(api: Api, token: str, **params: Any) -> dict[str, Any]:
    response = await api.client.get(URL, params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_suggestions_rank_exclude_and_page(worker_api: Api) -> None:
    api = worker_api
    t = {name: await api.token_for(name) for name in (*AUTHORS, *PASSED, "fan0", "fan1", "mod")}
    vic = t["vic"]
    p = {
        "ann_hot": await publish(api, t["ann"], "Sunrise over the ridge"),
        "ann_plain": await publish(api, t["ann"], "Just a wall"),
        "ann_old": await publish(api, t["ann"], "Last month's #sea"),
        "ann_shared_by_vic": await publish(api, t["ann"], "Shared by vic"),
        "cat_sea": await publish(api, t["cat"], "Waves #sea"),
        "cat_shared_by_fay": await publish(api, t["cat"], "Shared by fay"),
        "ben_post": await publish(api, t["ben"], "Ben's bread"),
        "ben_older": await publish(api, t["ben"], "Ben's oven"),
        "lee_liked": await publish(api, t["lee"], "Trail #hike"),
        "lee_other": await publish(api, t["lee"], "Another #hike"),
        "vic_own": await publish(api, vic, "My #sea"),
        **{f"{n}_post": await publish(api, t[n], f"By {n}") for n in PASSED},
    }
    ids = {name: post["id"] for name, post in p.items()}
    await follow(api, vic, "fay")
    await act(api, vic, "users/bob/block")
    await act(api, t["bea"], "users/vic/block")
    await act(api, vic, "users/max/mute")
    await act(api, t["mia"], "users/vic/mute")
    await act(api, vic, f"posts/{ids['lee_liked']}/like")  # #hike and lee are vic's
    await act(api, vic, f"posts/{ids['ann_shared_by_vic']}/share")
    await act(api, vic, f"posts/{ids['ben_older']}/comments", text="Nice oven")  # so is ben
    await act(api, t["fay"], f"posts/{ids['cat_shared_by_fay']}/share")
    for fan in ("fan0", "fan1"):
        await act(api, t[fan], f"posts/{ids['ann_hot']}/share")  # 6
    await act(api, t["fan0"], f"posts/{ids['cat_sea']}/share")  # 3 + 1
    await act(api, t["fan1"], f"posts/{ids['cat_sea']}/like")
    await act(api, t["fan0"], f"posts/{ids['ben_post']}/like")  # 1
    private = {"is_private": True}
    patched = await api.client.patch("/api/v1/me", json=private, headers=bearer(t["pat"]))
    assert patched.status_code == 200, patched.text
    await make(api, "mod", Role.MODERATOR)
    sam = await user_id(api, "sam")
    await act(api, t["mod"], f"admin/users/{sam}/suspend")
    async with api.database.engine.begin() as connection:  # older than the 7-day window
        await connection.execute(
            text("UPDATE posts SET created_at = now() - interval '8 days' WHERE id = ANY(:ids)"),
            {"ids": [ids["ann_old"], ids["ben_older"]]},
        )

    page = await suggested(api, vic)
    expected = ["cat_sea", "ann_hot", "ben_post", "lee_other", "ann_plain"]
    # scores: (4+1)·(1+#sea)=10, (6+1)·1=7, (1+1)·(1+ben)=6, (0+1)·(1+#hike+lee)=4, 1
    assert [item["id"] for item in page["items"]] == [ids[name] for name in expected]
    assert page["next_cursor"] is None

    explore = (await api.client.get("/api/v1/explore", headers=bearer(vic))).json()["items"]
    as_explore = {item["id"]: item for item in explore}
    assert page["items"] == [as_explore[item["id"]] for item in page["items"]]

    walked: list[str] = []
    cursor = None
    for _ in range(10):
        one = await suggested(api, vic, limit=1, **({"cursor": cursor} if cursor else {}))
        walked += [item["id"] for item in one["items"]]
        cursor = one["next_cursor"]
        if cursor is None:
            break
    assert walked == [ids[name] for name in expected]

    # what vic does not get is vic's alone: cat gets every recent public post but its own
    theirs = {item["id"] for item in (await suggested(api, t["cat"], limit=100))["items"]}
    hidden = {"cat_sea", "cat_shared_by_fay", "ann_old", "ben_older", "pat_post", "sam_post"}
    assert theirs == {ids[name] for name in ids.keys() - hidden}


async def test_suggestions_need_a_user_and_a_cursor_we_issued(api: Api) -> None:
    anonymous = await api.client.get(URL)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    token = await api.token_for("vic")
    assert await suggested(api, token) == {"items": [], "next_cursor": None}
    bad = await api.client.get(URL, params={"cursor": "nonsense"}, headers=bearer(token))
    assert bad.status_code == 422


def _rank_cursor(rank: float) -> str:
    forged = ["r", rank, "00000000-0000-0000-0000-000000000000"]
    return base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")


@pytest.mark.parametrize("route", [URL, "/api/v1/explore"])
async def test_a_forged_rank_cursor_is_refused_or_clamped_never_a_500(api: Api, route: str) -> None:
    token = await api.token_for("vic")
    endless = await api.client.get(
        route, params={"cursor": _rank_cursor(float("inf"))}, headers=bearer(token)
    )
    assert endless.status_code == 422  # not a rank we issued
    huge = await api.client.get(
        route, params={"cursor": _rank_cursor(1e300)}, headers=bearer(token)
    )
    assert huge.status_code == 200  # beyond any real rank: the page after it is the whole list
    assert huge.json() == {"items": [], "next_cursor": None}
