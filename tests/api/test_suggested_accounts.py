"""Suggested accounts through HTTP (DISC-1), on small graphs with exact expectations: every
exclusion (in the computation and, made later, at read time), dismissals, a user with no
follows, and the refresh a follow queues (run by the in-process worker)."""

from __future__ import annotations

from typing import Any

from social.domain.shared.identity import Role
from tests.api.conftest import Api, bearer, eventually
from tests.api.test_interactions_and_feeds import follow, publish
from tests.api.test_moderation import make, user_id

SUGGESTED = "/api/v1/suggestions/accounts"
EXCLUDED = [
    "followed",
    "requested",
    "blocking",
    "blocked",
    "muting",
    "muted",
    "suspended",
    "dismissed",
]


async def suggested(api: Api, token: str, limit: int = 20) -> list[tuple[str, str]]:
    """Every page, walked with ``next_cursor``: (username, reason) in order."""
    found: list[tuple[str, str]] = []
    cursor: str | None = None
    for _ in range(20):
        params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = await api.client.get(SUGGESTED, params=params, headers=bearer(token))
        assert response.status_code == 200, response.text
        body = response.json()
        found += [(item["user"]["username"], item["reason"]) for item in body["items"]]
        if body["next_cursor"] is None:
            return found
        cursor = body["next_cursor"]
    raise AssertionError("the pages never ended")


async def post_ok(api: Api, path: str, token: str, status: int = 204) -> None:
    response = await api.client.post(path, headers=bearer(token))
    assert response.status_code == status, response.text


async def dismiss(api: Api, token: str, username: str) -> int:
    response = await api.client.delete(f"{SUGGESTED}/{username}", headers=bearer(token))
    return response.status_code


async def exclude_everyone(api: Api, tokens: dict[str, str]) -> None:
    """``mel`` follows ``followed``, asks to follow ``requested`` (private), is blocked by
    ``blocking`` and blocks ``blocked``, is muted by ``muting`` and mutes ``muted``;
    ``suspended`` is suspended by an admin; ``dismissed`` is dismissed (twice)."""
    mel = tokens["mel"]
    await follow(api, mel, "followed")
    private = {"is_private": True}
    await api.client.patch("/api/v1/me", json=private, headers=bearer(tokens["requested"]))
    await follow(api, mel, "requested")
    await post_ok(api, "/api/v1/users/mel/block", tokens["blocking"])
    await post_ok(api, "/api/v1/users/blocked/block", mel)
    await post_ok(api, "/api/v1/users/mel/mute", tokens["muting"])
    await post_ok(api, "/api/v1/users/muted/mute", mel)
    boss = await api.token_for("boss")
    await make(api, "boss", Role.ADMIN)
    await post_ok(api, f"/api/v1/admin/users/{await user_id(api, 'suspended')}/suspend", boss)
    assert await dismiss(api, mel, "dismissed") == 204
    assert await dismiss(api, mel, "dismissed") == 204  # idempotent


async def test_the_computation_leaves_out_every_excluded_account(api: Api) -> None:
    names = ["mel", "friend", "pal", "okay", "fan", *EXCLUDED]
    tokens = {name: await api.token_for(name) for name in names}
    await follow(api, tokens["mel"], "friend")
    await follow(api, tokens["mel"], "pal")  # followed after friend: named first
    for name in ["mel", "okay", "fan", *EXCLUDED]:
        await follow(api, tokens["friend"], name)
    await follow(api, tokens["pal"], "okay")
    await exclude_everyone(api, tokens)
    # never computed (no worker here): the first read computes
    assert await suggested(api, tokens["mel"]) == [
        ("okay", "followed by pal and 1 other"),
        ("fan", "followed by friend"),
    ]
    assert await dismiss(api, tokens["mel"], "nobody") == 404
    assert await dismiss(api, tokens["mel"], "mel") == 422
    assert await dismiss(api, tokens["mel"], "blocking") == 404  # hidden from mel
    await follow(api, tokens["mel"], "fan")  # no job runs here: the read excludes it at once
    assert await suggested(api, tokens["mel"]) == [("okay", "followed by pal and 1 other")]


async def test_exclusions_made_after_the_computation_apply_at_once(api: Api) -> None:
    names = ["mel", "friend", "stays", *EXCLUDED]
    tokens = {name: await api.token_for(name) for name in names}
    await follow(api, tokens["mel"], "friend")
    for name in ["stays", *EXCLUDED]:
        await follow(api, tokens["friend"], name)
    everyone = [(name, "followed by friend") for name in ["stays", *EXCLUDED]]
    assert await suggested(api, tokens["mel"], limit=3) == everyone  # paged by rank
    await exclude_everyone(api, tokens)
    assert await suggested(api, tokens["mel"], limit=3) == [("stays", "followed by friend")]


async def test_no_follows_gives_active_accounts_and_a_follow_refreshes(worker_api: Api) -> None:
    api = worker_api
    names = ["ann", "bob", "cat", "eve", "newbie", "mel"]
    tokens = {name: await api.token_for(name) for name in names}
    await publish(api, tokens["ann"], "#sunset at the beach")
    await publish(api, tokens["bob"], "#sunset again")
    await publish(api, tokens["bob"], "#sunset once more")
    await publish(api, tokens["cat"], "coffee")
    active = [("cat", "recently active"), ("bob", "recently active"), ("ann", "recently active")]
    assert await suggested(api, tokens["newbie"]) == active
    await publish(api, tokens["mel"], "#sunset mine")
    assert await suggested(api, tokens["mel"]) == [
        ("bob", "popular in #sunset"),
        ("ann", "popular in #sunset"),
        ("cat", "recently active"),
    ]
    await follow(api, tokens["ann"], "eve")
    await follow(api, tokens["ann"], "bob")
    await follow(api, tokens["mel"], "ann")  # queues mel's refresh
    refreshed = [("bob", "followed by ann"), ("eve", "followed by ann"), ("cat", "recently active")]

    async def refreshed_by_the_job() -> bool:
        return await suggested(api, tokens["mel"]) == refreshed

    await eventually(refreshed_by_the_job)
