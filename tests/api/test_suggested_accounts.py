"""Suggested accounts through HTTP (DISC-1), on small graphs with exact expectations: every
exclusion (in the computation and, made later, at read time), dismissals, a user with no
follows, and the refresh a look after a follow asks for (debounced: looks within the interval
put off one refresh, run by the in-process worker when it ends; follows alone compute nothing)."""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient

from social.adapters.postgres.database import Database
from social.adapters.postgres.suggestions import SqlaSuggestionStore
from social.app import create_app
from social.domain.discovery.account_suggestions import CandidateBounds, Candidates
from social.domain.shared.identity import Role
from tests.api.conftest import Api, api_settings, bearer, eventually
from tests.api.test_interactions_and_feeds import follow, publish
from tests.api.test_moderation import make, user_id

SUGGESTED = "/api/v1/suggestions/accounts"
DEBOUNCE_S = 5
"""``SOCIAL_SUGGESTIONS_DEBOUNCE_S`` here: a few seconds, not a minute."""
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


@pytest.fixture
async def debounced_api(
    database: Database, database_url: str, tmp_path: Path
) -> AsyncIterator[Api]:
    """The app with its job worker running, as in the embedded mode (SAQ on PostgreSQL, no
    Redis), and suggestion refreshes debounced over ``DEBOUNCE_S``."""
    settings = api_settings(
        database_url, tmp_path, run_worker_in_process=True, suggestions_debounce_s=DEBOUNCE_S
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield Api(client=client, database=database)


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[UUID, float]]:
    """Whose candidates were gathered, and when (monotonic seconds): one per computation."""
    seen: list[tuple[UUID, float]] = []
    gather = SqlaSuggestionStore.candidates

    async def counted(
        self: SqlaSuggestionStore, user_id: UUID, bounds: CandidateBounds
    ) -> Candidates:
        seen.append((user_id, time.monotonic()))
        return await gather(self, user_id, bounds)

    monkeypatch.setattr(SqlaSuggestionStore, "candidates", counted)
    return seen


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


async def test_no_follows_gives_active_accounts_and_a_follow_refreshes(
    debounced_api: Api,
) -> None:
    api = debounced_api
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
    await follow(api, tokens["mel"], "ann")
    # looked at a moment after the last computation: the list as stored (ann left out by the
    # read), one refresh put off to the end of the interval
    assert await suggested(api, tokens["mel"]) == [
        ("bob", "popular in #sunset"),
        ("cat", "recently active"),
    ]
    refreshed = [("bob", "followed by ann"), ("eve", "followed by ann"), ("cat", "recently active")]

    async def refreshed_by_the_job() -> bool:
        return await suggested(api, tokens["mel"]) == refreshed

    await eventually(refreshed_by_the_job, seconds=DEBOUNCE_S + 15)


async def test_follows_compute_nothing_and_looks_compute_at_most_once_an_interval(
    debounced_api: Api, computations: list[tuple[UUID, float]]
) -> None:
    """Each of mel's 50 followees follows zed; nobody looks, so nothing is computed. mel looks
    (computed: never before), follows all 50 looking every ten follows and after the last: the
    looks put off one refresh to the end of the interval (one an interval if the follows take
    longer), and the last counts all 50 (named after the last followed)."""
    api = debounced_api
    friends = [f"f{n:02}" for n in range(50)]
    tokens = {name: await api.token_for(name) for name in ["mel", "zed", *friends]}
    for friend in friends:
        await follow(api, tokens[friend], "zed")
    mel = UUID(await user_id(api, "mel"))
    await asyncio.sleep(1)  # the follows' own jobs (feeds, notifications) run meanwhile
    assert computations == []

    def mine() -> list[float]:
        return [at for who, at in computations if who == mel]

    assert await suggested(api, tokens["mel"]) == [] and len(mine()) == 1
    started = time.monotonic()
    for n, friend in enumerate(friends):
        await follow(api, tokens["mel"], friend)
        if n % 10 == 0 or n == len(friends) - 1:
            await suggested(api, tokens["mel"])  # a look: the list as stored, a refresh put off
    burst_s = time.monotonic() - started

    async def refreshed() -> bool:  # counted when gathered, stored a moment later
        return await suggested(api, tokens["mel"]) == [("zed", "followed by f49 and 49 others")]

    await eventually(refreshed, seconds=DEBOUNCE_S + 15)
    runs = mine()
    assert all(b - a >= DEBOUNCE_S - 0.5 for a, b in itertools.pairwise(runs)), runs
    # two for a burst shorter than the interval (the follows take a few seconds here)
    assert len(runs) <= 2 + math.ceil(burst_s / DEBOUNCE_S), (runs, burst_s)
    await asyncio.sleep(DEBOUNCE_S + 2)
    # no follow since the last computation, so the looks compute nothing more; but a look that
    # saw the follows just before the put-off refresh claimed its run puts off one more (benign)
    later = mine()
    assert len(later) <= len(runs) + 1, later
    assert all(b - a >= DEBOUNCE_S - 0.5 for a, b in itertools.pairwise(later)), later
