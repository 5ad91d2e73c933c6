"""Suggested accounts (DISC-1, issue 17): computing them for 10,000 users of the home-feed seed,
then ``GET /api/v1/suggestions/accounts`` at 64 connections beside ``/health/live``.

    uv run python benchmarks/suggestions.py            # the whole run, one command

It seeds its own database the first time (``social_bench_suggest``: the home-feed benchmark's
seed, 10,000 users, 200,000 posts, 2,000 signed-in accounts; ``--reseed`` makes it again) and
migrates it to this checkout's head. Seeds made before the seed filled ``post_tags`` (it loads
posts with triggers off) get it filled here as migration 0013's triggers would have.

1. Compute: the job's use case (``ComputeAccountSuggestions``, what ``RefreshAccountSuggestions``
   runs) for every account, ``--concurrency`` at a time on the app's unit of work, timing each
   call; the total, the per-user percentiles and the process's peak RSS are printed.
2. Serve: ``social serve --workers 2`` (Redis, rate limits off, as the app timeline benchmark),
   every signed-in account's first page read once, then wrk (2 threads, ``--connections``) on
   the suggestions and on ``/health/live``, ``--rounds`` rounds, with CPU per request of the
   API's processes, its PostgreSQL backends and Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from uuid import UUID

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_stack import prepare_database, server_env, serving
from app_timeline_load import Row, measure, page_of, read_all, table
from feed_load import wrk_version
from seed_feed_data import DEFAULT_SECRET, FILL_POST_TAGS, plain_dsn

from social.adapters.postgres.database import Database
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.domain.discovery.compute_suggestions import ComputeAccountSuggestions
from social.domain.shared.clock import SystemClock
from social.settings import Settings

SUGGESTED = "/api/v1/suggestions/accounts?limit=20"
HEALTH = "/health/live"
TARGETS = {
    "per_user_p50_ms": 50.0,
    "per_user_p99_ms": 250.0,
    "total_s": 600.0,
    "peak_rss_mib": 300.0,
    "suggestions_rps": 500.0,
}
"""What each figure is held to (printed beside it): a user's computation well under a request's
budget, all 10,000 within the 6-hour refresh period many times over (here: 10 minutes), the
worker's memory flat; the endpoint at least 500 req/s on these 2 shared cores (the home feed's
reads did about 1,000 in the same shape)."""


async def fill_post_tags(url: str) -> int:
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        if await connection.fetchval("SELECT EXISTS (SELECT 1 FROM post_tags)"):
            return 0
        status = await connection.execute(FILL_POST_TAGS)
        await connection.execute("ANALYZE post_tags")
        return int(status.split()[-1])
    finally:
        await connection.close()


async def every_user(url: str) -> list[UUID]:
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        return [row[0] for row in await connection.fetch("SELECT id FROM users ORDER BY id")]
    finally:
        await connection.close()


async def compute_all(url: str, users: list[UUID], concurrency: int) -> list[float]:
    """Each user's computation time, in seconds (the job's use case on the app's pools)."""
    settings = Settings.from_values(secret_key=DEFAULT_SECRET, database_url=url)
    database = Database.connect(url, pool_size=concurrency, pool_timeout_s=30)
    cipher = EmailCipher(KeyRing.from_settings(settings))
    compute = ComputeAccountSuggestions(
        uow=lambda: SqlaUnitOfWork(database.sessions, cipher),
        clock=SystemClock(),
        keep=settings.discovery.suggestions_kept,
    )
    queue = list(reversed(users))
    times: list[float] = []

    async def worker() -> None:
        while queue:
            user_id = queue.pop()
            started = time.perf_counter()
            await compute.execute(user_id)
            times.append(time.perf_counter() - started)
            if len(times) % 1000 == 0:
                print(f"  {len(times):,} users computed", flush=True)

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await database.close()
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def beside(label: str, value: float, unit: str, target: float, *, at_most: bool = True) -> str:
    met = value <= target if at_most else value >= target
    bound = "≤" if at_most else "≥"
    verdict = "met" if met else "MISSED"
    return f"{label:<42} {value:>10,.1f} {unit:<5} target {bound} {target:,.0f} {unit:<5} {verdict}"


def compute_phase(args: argparse.Namespace) -> None:
    users = asyncio.run(every_user(args.database_url))[: args.compute_users]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"computing suggestions for {len(users):,} users, {args.concurrency} at a time …")
    started = time.perf_counter()
    times = asyncio.run(compute_all(args.database_url, users, args.concurrency))
    total = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ms = [t * 1000 for t in times]
    print()
    print(beside("total", total, "s", TARGETS["total_s"]))
    print(f"{'throughput':<42} {len(times) / total:>10,.1f} users/s")
    print(f"{'per user, amortized (total / users)':<42} {total / len(times) * 1000:>10,.1f} ms")
    print(f"{'per user, mean':<42} {statistics.mean(ms):>10,.1f} ms")
    print(beside("per user, p50", percentile(ms, 0.50), "ms", TARGETS["per_user_p50_ms"]))
    print(f"{'per user, p90':<42} {percentile(ms, 0.90):>10,.1f} ms")
    print(beside("per user, p99", percentile(ms, 0.99), "ms", TARGETS["per_user_p99_ms"]))
    print(f"{'per user, max':<42} {max(ms):>10,.1f} ms")
    print(beside("peak RSS of the computing process", rss, "MiB", TARGETS["peak_rss_mib"]))
    print(f"{'  (before computing)':<42} {rss_before:>10,.1f} MiB")


def serve_phase(args: argparse.Namespace, tokens_path: Path) -> list[Row]:
    tokens = [t for t in tokens_path.read_text().split() if t][: args.users]
    env = server_env(args.database_url, args.redis_url, tokens_path.parent / "data")
    readers = tokens_path.parent / "readers.txt"
    readers.write_text("".join(f"{token}\n" for token in tokens))
    rows: list[Row] = []
    with serving(env, args.port, args.workers, tokens_path.parent / "serve.log") as server:
        args.server, args.base_url = server, server.url
        items, kib = page_of(server.url, SUGGESTED, tokens[0])
        print(f"check: GET {SUGGESTED}: {items} items, {kib:.1f} KiB")
        started = time.perf_counter()
        failed = asyncio.run(read_all(server.url, SUGGESTED, tokens))
        seconds = time.perf_counter() - started
        print(f"pre-warm: {len(tokens):,} pages in {seconds:.0f} s, {failed} failed")
        for n in range(1, args.rounds + 1):
            print(f"round {n}/{args.rounds}: {args.duration:g} s each", flush=True)
            runs = [
                (f"GET {SUGGESTED} #{n}", SUGGESTED, readers),
                (f"GET {HEALTH} #{n}", HEALTH, None),
            ]
            for label, path, token_file in runs if n % 2 else runs[::-1]:
                rows.append(measure(args, label, path, token_file))
    return rows


def report(rows: list[Row]) -> None:
    print()
    print(table(rows))
    suggested = [r for r in rows if r.result.label.startswith(f"GET {SUGGESTED}")]
    health = [r for r in rows if r.result.label.startswith(f"GET {HEALTH}")]
    rps = statistics.mean(r.result.rps for r in suggested)
    print()
    floor = TARGETS["suggestions_rps"]
    print(beside("GET /suggestions/accounts, RPS (mean)", rps, "req/s", floor, at_most=False))
    health_rps = statistics.mean(r.result.rps for r in health)
    print(f"{'GET /health/live, RPS (same server and run)':<42} {health_rps:>10,.0f} req/s")
    worst = max(r.result.p99_ms for r in suggested)
    print(f"{'GET /suggestions/accounts, worst p99':<42} {worst:>10,.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgresql+asyncpg://postgres@127.0.0.1:54329/social_bench_suggest",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/9")
    parser.add_argument("--tokens", default="/tmp/social_bench_suggest/tokens.txt")  # noqa: S108
    parser.add_argument("--reseed", action="store_true", help="seed the database again")
    parser.add_argument("--compute-users", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2, help="computations at once")
    parser.add_argument("--skip-compute", action="store_true", help="serve what is stored")
    parser.add_argument("--users", type=int, default=2000, help="accounts read, round robin")
    parser.add_argument("--port", type=int, default=8037)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=30, help="wrk's socket timeout, seconds")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output too")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    tokens = Path(args.tokens)
    prepare_database(args.database_url, tokens, reseed=args.reseed)
    filled = asyncio.run(fill_post_tags(args.database_url))
    if filled:
        print(f"post_tags filled: {filled:,} rows")
    print(
        f"== Suggested accounts ({wrk_version()}, {args.threads} threads, "
        f"{args.connections} connections, {args.workers} workers)"
    )
    if not args.skip_compute:
        compute_phase(args)
    report(serve_phase(args, tokens))


if __name__ == "__main__":
    main()
