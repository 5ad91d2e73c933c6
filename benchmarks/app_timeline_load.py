"""The app API's home timeline beside the native feed (issue 16): ``GET /api/v1/timelines/home``
(Mastodon's shape, an app token) against ``GET /api/v1/feed`` (ours, a JWT) and ``/health/live``,
on one server in one run, in req/s and CPU per request. Both read the same read model, so the
app API should cost no more than the native feed.

    uv run python benchmarks/app_timeline_load.py            # the whole run, one command

It seeds its own database the first time (``social_bench_app``: the home-feed benchmark's seed,
10,000 users, 200,000 posts, 2,000 signed-in accounts; ``--reseed`` makes it again) and migrates
it to this checkout's head; starts ``social serve --workers 2`` on it in the production shape of
"Home feed under load" (Redis, fan-out threshold 2,000, rate limits off); mints one app token
per signed-in account through ``/api/v1/apps`` and the password grant of ``/oauth/token``
(cached beside the tokens; ``--app-auth jwt`` sends the JWTs to the app path instead); reads
every account's feed once through both paths; then, for ``--rounds`` rounds, measures each
endpoint for ``--duration`` seconds with wrk (after ``--warmup`` seconds not counted), every
request another account, while reading the CPU time (user + system, ``/proc``) of the API's
processes, of the PostgreSQL backends connected to the database and of Redis (Redis is shared
with anything else using it: its figure is an upper bound).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_stack import (
    app_tokens,
    cpu_seconds,
    postgres_pids,
    prepare_database,
    redis_pids,
    server_env,
    serving,
    transactions,
)
from feed_load import Result, run_wrk, wrk_version

FEED = "/api/v1/feed?limit=20"
HOME = "/api/v1/timelines/home?limit=20"
HEALTH = "/health/live"


@dataclass(frozen=True)
class Row:
    result: Result
    cpu_ms: dict[str, float]  # per request, by process group
    statements: float  # PostgreSQL transactions per request (autocommit statements)

    @property
    def total_ms(self) -> float:
        return sum(self.cpu_ms.values())


def page_of(base_url: str, path: str, token: str) -> tuple[int, float]:
    """Items on one page and its size in KiB; the run stops on an answer other than 200."""
    reply = httpx.get(base_url + path, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if reply.status_code != 200:
        sys.exit(f"{path}: {reply.status_code} {reply.text[:500]}")
    body = reply.json()
    items = body["items"] if isinstance(body, dict) else body
    if isinstance(body, list) and "link" not in reply.headers:
        sys.exit(f"{path}: no Link header")
    return len(items), len(reply.content) / 1024


async def read_all(base_url: str, path: str, tokens: list[str], concurrency: int = 16) -> int:
    """Every account's page read once (the stored feeds built, the presentations cached)."""
    queue = list(tokens)
    failures = 0

    async def reader(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while queue:
            token = queue.pop()
            reply = await client.get(path, headers={"Authorization": f"Bearer {token}"})
            failures += reply.status_code != 200

    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        await asyncio.gather(*(reader(client) for _ in range(concurrency)))
    return failures


def measure(args: argparse.Namespace, label: str, path: str, tokens: Path | None) -> Row:
    """wrk on ``path`` while the CPU of the API, its PostgreSQL backends and Redis is read."""
    if args.warmup > 0:
        run_wrk(args, "warm-up", path, tokens=tokens, seconds=args.warmup)
    groups = {
        "api": args.server.pids(),
        "postgres": asyncio.run(postgres_pids(args.database_url)),
        "redis": redis_pids(args.redis_url),
    }
    committed = asyncio.run(transactions(args.database_url))
    before = {name: cpu_seconds(pids) for name, pids in groups.items()}
    result = run_wrk(args, label, path, tokens=tokens, seconds=args.duration)
    after = {name: cpu_seconds(pids) for name, pids in groups.items()}
    committed = asyncio.run(transactions(args.database_url)) - committed
    requests = max(result.requests, 1)
    cpu_ms = {
        name: sum(after[name][pid] - before[name].get(pid, 0.0) for pid in after[name])
        * 1000
        / requests
        for name in groups
    }
    return Row(result, cpu_ms, committed / requests)


def table(rows: list[Row]) -> str:
    head = (
        f"{'endpoint':<50} {'requests':>9} {'RPS':>7} {'p50':>9} {'p99':>9} {'KiB/req':>8} "
        f"{'non-2xx':>7} {'SQL/req':>7}  CPU ms/req: {'API':>5} {'PG':>5} {'Redis':>5} {'total':>6}"
    )
    out = [head, "-" * len(head)]
    for row in rows:
        r, cpu = row.result, row.cpu_ms
        out.append(
            f"{r.label:<50} {r.requests:>9,} {r.rps:>7,.0f} {r.p50_ms:>6.1f} ms "
            f"{r.p99_ms:>6.1f} ms {r.kib_per_request:>8.1f} {r.non2xx + r.socket_errors:>7,} "
            f"{row.statements:>7.2f}  "
            f"{'':11} {cpu['api']:>5.2f} {cpu['postgres']:>5.2f} {cpu['redis']:>5.2f} "
            f"{row.total_ms:>6.2f}"
        )
    return "\n".join(out)


def run(args: argparse.Namespace) -> None:
    jwt_path = Path(args.tokens)
    prepare_database(args.database_url, jwt_path, reseed=args.reseed)
    jwts = [t for t in jwt_path.read_text().split() if t][: args.users]
    env = server_env(args.database_url, args.redis_url, jwt_path.parent / "data")
    log = jwt_path.parent / "serve.log"
    with serving(env, args.port, args.workers, log) as server:
        args.server, args.base_url = server, server.url
        if args.app_auth == "app":
            app = app_tokens(server.url, jwts, jwt_path.parent / "app_tokens.txt")
        else:
            app = jwts
        native_path = jwt_path.parent / "jwt_for_native_path.txt"
        native_path.write_text("".join(f"{token}\n" for token in jwts))
        app_path = jwt_path.parent / f"{args.app_auth}_for_app_path.txt"
        app_path.write_text("".join(f"{token}\n" for token in app))
        for path, token in ((FEED, jwts[0]), (HOME, app[0])):
            items, kib = page_of(server.url, path, token)
            print(f"check: GET {path}: {items} items, {kib:.1f} KiB")
        started = time.perf_counter()
        failed = asyncio.run(read_all(server.url, FEED, jwts))
        failed += asyncio.run(read_all(server.url, HOME, app))
        seconds = time.perf_counter() - started
        print(f"pre-warm: {2 * len(jwts):,} pages in {seconds:.0f} s, {failed} failed")
        rows: list[Row] = []
        for n in range(1, args.rounds + 1):
            print(f"round {n}/{args.rounds}: {args.duration:g} s each", flush=True)
            runs = [(f"GET {FEED} (JWT) #{n}", FEED, native_path)]
            runs.append((f"GET {HOME} ({args.app_auth} token) #{n}", HOME, app_path))
            if args.app_auth == "app":  # the same path with JWTs: what the app token's lookup costs
                runs.append((f"GET {HOME} (JWT) #{n}", HOME, native_path))
            # every other round backwards, so neither path always runs on a warmer server
            for label, path, tokens in runs if n % 2 else runs[::-1]:
                rows.append(measure(args, label, path, tokens))
            rows.append(measure(args, f"GET {HEALTH} #{n}", HEALTH, None))
    report(args, rows)


def report(args: argparse.Namespace, rows: list[Row]) -> None:
    print()
    print(table(rows))
    feeds = [row for row in rows if row.result.label.startswith(f"GET {FEED}")]
    app = f"({args.app_auth} token)"
    homes = [row for row in rows if row.result.label.startswith(f"GET {HOME} {app}")]
    rps = statistics.mean(h.result.rps / f.result.rps for f, h in zip(feeds, homes, strict=True))
    cpu = statistics.mean(h.total_ms / f.total_ms for f, h in zip(feeds, homes, strict=True))
    print()
    print(f"app/native: RPS ratio {rps:.2f}, CPU per request ratio {cpu:.2f} (mean of the rounds)")
    verdict = "no more than" if cpu <= 1.05 else "MORE than"
    print(f"the app API's home timeline costs {verdict} the native feed per request (5 % margin)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:54329/social_bench_app"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/8")
    parser.add_argument("--tokens", default="/tmp/social_bench_app/tokens.txt")  # noqa: S108
    parser.add_argument("--reseed", action="store_true", help="seed the database again")
    parser.add_argument("--users", type=int, default=2000, help="accounts read, round robin")
    parser.add_argument("--app-auth", choices=["app", "jwt"], default="app")
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=30, help="wrk's socket timeout, seconds")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output too")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    print(
        f"== App API home timeline beside the native feed ({wrk_version()}, "
        f"{args.threads} threads, {args.connections} connections, {args.workers} workers)"
    )
    run(args)


if __name__ == "__main__":
    main()
