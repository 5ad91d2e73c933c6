"""``scale_out.py bench``: the home feed under wrk through nginx (two API processes, two workers)
beside one API process alone, and /health/live both ways, in the same run.

The database is the feed benchmark's seed in a database of its own (``social_bench_scale``,
10,000 users and 200,000 posts, made on first use, about a minute) with 2,000 signed-in tokens.
"One process" is API process 0 addressed directly while process 1 idles: the same process,
without nginx. Hold /tmp/h19/bench.lock (flock) around it: it takes both cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from app_stack import prepare_database
from feed_load import Result, run_wrk, wrk_version

from scale_out.stack import Stack

DATABASE = "social_bench_scale"
TOKENS = Path("/tmp/social_bench_scale/tokens.txt")  # noqa: S108
FEED = "/api/v1/feed"
TARGET_RPS = 1000.0
"""Product spec §10: ≥ 1,000 req/s on this 2-core machine (the mixed workload's target)."""


def _wrk(base_url: str, args: argparse.Namespace, label: str, path: str, tokens: bool) -> Result:
    options = SimpleNamespace(
        threads=2,
        connections=args.connections,
        timeout=30,
        base_url=base_url,
        verbose=False,
    )
    return run_wrk(
        options,  # type: ignore[arg-type]
        label,
        path,
        tokens=TOKENS if tokens else None,
        seconds=args.seconds,
    )


def _line(result: Result, target: str) -> str:
    rps = result.requests / result.seconds
    errors = result.non2xx + result.socket_errors
    return (
        f"  {result.label:<34} {rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
        f"p99 {result.p99_ms:7.1f} ms  errors {errors}  {target}"
    )


def bench(args: argparse.Namespace, make_stack: Callable[..., Stack]) -> None:
    stack = make_stack(args, DATABASE)
    url = stack.env["SOCIAL_DATABASE_URL"]
    prepare_database(url, TOKENS, reseed=False, secret=stack.env["SOCIAL_SECRET_KEY"])
    asyncio.run(stack.start())
    try:
        print(
            f"== Scale-out ({wrk_version()}, {args.connections} connections, {args.seconds:.0f} s)"
        )
        print(f"   cores: {os.cpu_count()}; home feed GET {FEED} with 2,000 tokens")
        rows = []
        for label, base in (
            ("one API process (direct)", stack.api_url(0)),
            ("2 API + nginx", stack.url),
        ):
            _wrk(base, args, f"warm-up {label}", FEED, True)
            live = _wrk(base, args, f"/health/live, {label}", "/health/live", False)
            feed = _wrk(base, args, f"home feed, {label}", FEED, True)
            rows.append((live, feed))
        for live, feed in rows:
            print(_line(live, ""))
            met = feed.requests / feed.seconds >= TARGET_RPS
            print(_line(feed, f"target ≥ {TARGET_RPS:.0f} req/s: {'met' if met else 'MISSED'}"))
        one, two = (feed.requests / feed.seconds for _, feed in rows)
        print(f"  scale-out / one process: {two / one:.2f}x on {os.cpu_count()} cores")
    finally:
        asyncio.run(stack.stop())
