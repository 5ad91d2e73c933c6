"""The fan-out scenario's two halves: an author followed by every other seeded account (a SQL
insert into ``follows``, counters kept equal to their rows, undone after), and the prober that
posts as that author and times how long each sampled follower waits to see the post at the top
of their home feed (from the ``201`` of ``POST /posts`` to the first feed read holding it).

Whether the post is pushed into the followers' stored feeds by the fan-out job (the author at
or below ``SOCIAL_FAN_OUT_THRESHOLD``: the product's default, 10,000) or merged into each feed
when it is read (above it) depends on the threshold the server runs with: run.py's
``--fan-out-threshold``.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from pathlib import Path
from uuid import UUID

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seed_feed_data import plain_dsn

FOLLOW_EVERYONE = """
WITH added AS (
    INSERT INTO follows (id, follower_id, followee_id, created_at)
    SELECT gen_random_uuid(), u.id, $1, now() FROM users u
    WHERE u.id <> $1 AND NOT EXISTS
        (SELECT 1 FROM follows f WHERE f.follower_id = u.id AND f.followee_id = $1)
    RETURNING follower_id
), counted AS (
    UPDATE users SET following_count = following_count + 1
    WHERE id IN (SELECT follower_id FROM added) RETURNING id
)
SELECT follower_id FROM added
"""
UNFOLLOW = """
WITH gone AS (
    DELETE FROM follows WHERE followee_id = $1 AND follower_id = ANY($2::uuid[])
    RETURNING follower_id
), counted AS (
    UPDATE users SET following_count = following_count - 1
    WHERE id IN (SELECT follower_id FROM gone) RETURNING id
)
SELECT count(*) FROM gone
"""
RECOUNT = """
UPDATE users SET followers_count = (SELECT count(*) FROM follows WHERE followee_id = $1)
WHERE id = $1
"""


async def follow_everyone(url: str, username: str) -> tuple[UUID, list[UUID], int]:
    """Every other account follows ``username``: its id, the followers added, its followers."""
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        async with connection.transaction():
            author = await connection.fetchval("SELECT id FROM users WHERE username = $1", username)
            if author is None:
                sys.exit(f"no account {username}")
            added = [r[0] for r in await connection.fetch(FOLLOW_EVERYONE, author)]
            await connection.execute(RECOUNT, author)
        count = await connection.fetchval("SELECT followers_count FROM users WHERE id = $1", author)
    finally:
        await connection.close()
    return author, added, int(count)


async def unfollow(url: str, author: UUID, added: list[UUID]) -> int:
    """Undo ``follow_everyone``: the seeded graph again, counters with it."""
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        async with connection.transaction():
            gone = await connection.fetchval(UNFOLLOW, author, added)
            await connection.execute(RECOUNT, author)
    finally:
        await connection.close()
    return int(gone)


async def probe(
    base_url: str,
    author: tuple[str, str],
    readers: list[str],
    jpeg: bytes,
    *,
    posts: int,
    every_s: float,
    poll_s: float,
    give_up_s: float = 30.0,
) -> tuple[list[float], int]:
    """``posts`` posts by the author, one every ``every_s``; for each, every reader's feed read
    each ``poll_s`` until the post is on it: the waits in seconds, and how many never saw it."""
    limits = httpx.Limits(max_connections=len(readers) + 4)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        login = await client.post(
            "/api/v1/auth/login", json={"login": author[0], "password": author[1]}
        )
        login.raise_for_status()
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        warm = asyncio.Semaphore(8)  # stored feeds warm, a few at a time (the server is loaded)

        async def read(token: str) -> None:
            async with warm:
                await _feed(client, token)

        await asyncio.gather(*(read(token) for token in readers))
        waits: list[float] = []
        missed = 0
        for n in range(posts):
            started = time.perf_counter()
            post_id, created = await _post(client, auth, jpeg, n)
            found = await asyncio.gather(
                *(_until_seen(client, t, post_id, created, poll_s, give_up_s) for t in readers)
            )
            waits += [w for w in found if w is not None]
            missed += sum(w is None for w in found)
            print(
                f"  post {n + 1}/{posts}: seen by {sum(w is not None for w in found)}/"
                f"{len(readers)}, slowest {max((w for w in found if w), default=0):.2f} s",
                flush=True,
            )
            await asyncio.sleep(max(0.0, every_s - (time.perf_counter() - started)))
    return waits, missed


async def _feed(client: httpx.AsyncClient, token: str, limit: int = 20) -> list[str]:
    response = await client.get(
        f"/api/v1/feed?limit={limit}", headers={"Authorization": f"Bearer {token}"}
    )
    response.raise_for_status()
    return [item["post"]["id"] for item in response.json()["items"]]


async def _post(
    client: httpx.AsyncClient, auth: dict[str, str], jpeg: bytes, n: int
) -> tuple[str, float]:
    """Upload, wait until processed, post: the post's id and when its ``201`` arrived."""
    files = {"file": ("photo.jpg", jpeg, "image/jpeg")}
    media = (await client.post("/api/v1/media", files=files, headers=auth)).json()
    while media["status"] == "processing":
        await asyncio.sleep(0.2)
        media = (await client.get(f"/api/v1/media/{media['id']}", headers=auth)).json()
    body = {"caption": f"fan-out probe {n} #loadtest", "media_ids": [media["id"]]}
    response = await client.post("/api/v1/posts", json=body, headers=auth)
    created = time.perf_counter()
    if response.status_code != 201:
        sys.exit(f"POST /posts: {response.status_code} {response.text[:300]}")
    return response.json()["id"], created


async def _until_seen(
    client: httpx.AsyncClient,
    token: str,
    post_id: str,
    created: float,
    poll_s: float,
    give_up_s: float,
) -> float | None:
    await asyncio.sleep(random.uniform(0, poll_s))  # readers spread over a poll interval
    while time.perf_counter() - created < give_up_s:
        try:
            if post_id in await _feed(client, token, 5):
                return time.perf_counter() - created
        except httpx.HTTPError:  # a slow or refused read: the next poll tells
            pass
        await asyncio.sleep(poll_s)
    return None
