"""PostgreSQL time of ``GET /api/v1/suggestions/posts``'s statements (DISC-2) beside explore's,
on a seeded database (``social_bench_app`` by default: ``benchmarks/app_timeline_load.py`` seeds
it; read only here), as ``EXPLAIN ANALYZE`` reports it (planned per call, as the read pool for
time windows does):

    uv run python benchmarks/suggested_posts_plans.py [--database-url …] [--repeat 7]

For two viewers (the account with the most likes and follows, and one with no history at all)
it times the statement reading their tastes and the page's statement, for a first page of 20
and the page after its cursor; then explore's first page, and the hot pool's statement (run
once a minute per API process, not per page). Each figure is the
median execution time of ``--repeat`` runs after one warm-up run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs or py.typed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from social.adapters.postgres.suggested_posts import HOT_POOL, SUGGESTED_POSTS, TASTE
from social.domain.discovery.suggested_posts import CandidateBounds

EXPLORE = (
    "SELECT t.id, (t.likes_count + 2 * t.comments_count + 3 * t.shares_count) AS rank, t.id "
    "FROM posts t WHERE t.created_at > $1 AND EXISTS (SELECT 1 FROM users u WHERE "
    "u.id = t.author_id AND NOT u.is_private AND u.status = 'active') "
    "ORDER BY rank DESC, t.id DESC LIMIT $2"
)
"""Explore's first page, as ``adapters/postgres/listings.py`` builds it (``_POPULAR``)."""


async def timed(connection: Any, sql: str, args: tuple[object, ...], repeat: int) -> float:
    """The median execution time (ms) of ``sql``, after one warm-up run."""
    times = []
    for _ in range(repeat + 1):
        rows = await connection.fetch(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", *args)
        times.append(float(json.loads(rows[0][0])[0]["Execution Time"]))
    return statistics.median(times[1:])


async def main(url: str, repeat: int, window_days: int) -> None:
    connection = await asyncpg.connect(
        url, server_settings={"plan_cache_mode": "force_custom_plan"}
    )
    try:
        now = await connection.fetchval("SELECT now()")
        since = now - timedelta(days=window_days)
        busy = await connection.fetchval(
            "SELECT u.id FROM users u ORDER BY (SELECT count(*) FROM likes l WHERE "
            "l.user_id = u.id) + (SELECT count(*) FROM follows f WHERE f.follower_id = u.id) "
            "DESC LIMIT 1"
        )
        bounds = CandidateBounds()
        hot = [r[0] for r in await connection.fetch(HOT_POOL, since, bounds.hot_pool)]
        print(f"window: {len(hot)} hot pool ids, since {since:%Y-%m-%d %H:%M}")
        ms = await timed(connection, HOT_POOL, (since, bounds.hot_pool), repeat)
        print(f"hot pool ({bounds.hot_pool}, once a minute)  {ms:7.2f} ms")
        for name, viewer in (("busy viewer", busy), ("new viewer", uuid.uuid4())):
            ms = await timed(connection, TASTE, (viewer,), repeat)
            print(f"{name:12} tags and authors  {ms:7.2f} ms")
            tags, authors = await connection.fetchrow(TASTE, viewer)
            taste = (viewer, since, hot, tags, authors, bounds.tagged, bounds.per_author)
            first = (*taste, 21)
            rows = await connection.fetch(SUGGESTED_POSTS.first, *first)
            ms = await timed(connection, SUGGESTED_POSTS.first, first, repeat)
            known = f"{len(tags)} tags, {len(authors)} authors"
            print(f"{name:12} first page        {ms:7.2f} ms  ({known})")
            if len(rows) > 20:
                cursor = SUGGESTED_POSTS.bounds(SUGGESTED_POSTS.position(rows[19]))
                after = (*taste, *cursor, 21)
                ms = await timed(connection, SUGGESTED_POSTS.after, after, repeat)
                print(f"{name:12} page after cursor {ms:7.2f} ms")
        ms = await timed(connection, EXPLORE, (since, 21), repeat)
        print(f"explore      first page        {ms:7.2f} ms")
    finally:
        await connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:54329/social_bench_app"
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--window-days", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.repeat, arguments.window_days))
