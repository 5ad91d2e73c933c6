"""Where a home-feed request spends its CPU: round trips per request (statements on the read
pools, Redis commands), the CPU of each phase and of each port call, CPU per request at a
given concurrency, and a profile of whole requests (own CPU time summed by package).

    . /tmp/social_bench/env.sh    # the same SOCIAL_* settings as the benchmarked server
    uv run python benchmarks/feed_profile.py --requests 1000 --concurrency 32
    uv run python benchmarks/feed_profile.py --cold --requests 300 --no-profile
    uv run --with pyinstrument python benchmarks/feed_profile.py --pyinstrument

It builds the app with ``social.app.create_app`` from the ``SOCIAL_*`` environment (the seeded
database and Redis; the in-process job worker off), runs its lifespan in this process and
calls it as an ASGI app directly (no HTTP client, so the figures are the app's own), one
request at a time or ``--concurrency`` at once. Every account's feed is read once first
(warm stored feeds, presentations cached, statements prepared); with ``--cold`` each feed is
dropped from the store just before it is read (the read rebuilds it from PostgreSQL).
CPU is ``time.process_time`` (this process only: PostgreSQL's and Redis's own CPU are not in
it; ``feed_load.py``'s run reports those).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litestar import Litestar
from redis.asyncio.client import Redis

from social.adapters.http.feed.schemas import feed_page_response
from social.adapters.postgres.read_pool import ReadPool
from social.app import create_app
from social.domain.accounts.authenticate import Authenticate
from social.domain.feed.home_feed import HomeFeed
from social.domain.shared.pagination import Cursor, PageRequest
from social.settings import Settings
from social.use_cases import UseCases

FEED = "/api/v1/feed"
FIRST_PAGE: PageRequest[Cursor] = PageRequest(20)


@dataclass
class Tally:
    """What one request did: its statements (by kind) and Redis commands."""

    statements: list[str] = field(default_factory=list)
    redis: list[str] = field(default_factory=list)


current: list[Tally] = [Tally()]


def install_counters() -> None:
    original_fetch = ReadPool.fetch
    original_command = Redis.execute_command

    async def fetch(self: ReadPool, sql: str, *args: object) -> Any:
        current[0].statements.append(kind_of(sql))
        return await original_fetch(self, sql, *args)

    async def execute_command(self: Redis, *args: Any, **kwargs: Any) -> Any:
        current[0].redis.append(str(args[0]))
        return await original_command(self, *args, **kwargs)

    ReadPool.fetch = fetch  # type: ignore[method-assign]
    Redis.execute_command = execute_command  # type: ignore[method-assign]


@contextmanager
def tally() -> Iterator[Tally]:
    t = Tally()
    current[0] = t
    try:
        yield t
    finally:
        current[0] = Tally()


def kind_of(sql: str) -> str:
    s = " ".join(sql.split())
    for marker, name in (
        ("WITH viewer AS", "overlay (states, ties, flags, shares)"),
        ("auth_sessions", "session lookup"),
        ("followers_count >", "large followees"),
        ("WITH actors AS (SELECT followee_id", "timeline (feed from the database)"),
        ("WITH actors AS (SELECT DISTINCT unnest", "entries of large accounts"),
        ("LEFT JOIN post_media", "post contents (presentation miss)"),
        ("LEFT JOIN media m ON m.id = u.avatar_media_id", "account contents (presentation miss)"),
    ):
        if marker in s:
            return name
    return s[:60]


def ms(values: list[float]) -> str:
    if not values:
        return "-"
    median, mean = statistics.median(values) * 1e3, statistics.fmean(values) * 1e3
    return f"median {median:.3f} ms, mean {mean:.3f} ms"


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    """The ASGI lifespan protocol, driven by hand (startup, then shutdown on exit)."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.create_task(app(scope, inbox.get, outbox.put))  # type: ignore[arg-type]
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    if started["type"] != "lifespan.startup.complete":
        raise SystemExit(f"the app did not start: {started}")
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task


async def get(app: Litestar, token: str) -> int:
    """One ``GET /api/v1/feed?limit=20`` through the app; the size of the body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": FEED,
        "raw_path": FEED.encode(),
        "query_string": b"limit=20",
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
        "root_path": "",
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    if sent[0]["status"] != 200:
        raise SystemExit(f"the feed answered {sent[0]['status']}: {sent[1:]}")
    return len(sent[1]["body"])


async def profile(args: argparse.Namespace) -> None:
    settings = Settings.from_env(run_worker_in_process=False)
    text = await asyncio.to_thread(Path(args.tokens).read_text)
    tokens = [t for t in text.split() if t][: args.accounts]
    install_counters()
    app = create_app(settings)
    async with lifespan(app):
        use_cases: UseCases = app.state.use_cases
        adapters = app.state.adapters
        authenticate = use_cases.get(Authenticate)
        owners = [(await authenticate.execute(t)).user_id for t in tokens]
        for token in tokens:  # warm: feeds stored, presentations cached, statements prepared
            await get(app, token)

        async def forget(i: int) -> None:
            if args.cold:
                await adapters.feeds.forget(owners[i % len(owners)])

        # 1. Whole requests, one at a time: round trips and CPU.
        tallies: list[Tally] = []
        cpu: list[float] = []
        sizes: list[int] = []
        for i in range(args.requests):
            await forget(i)
            with tally() as t:
                began = time.process_time()
                sizes.append(await get(app, tokens[i % len(tokens)]))
                cpu.append(time.process_time() - began)
            tallies.append(t)
        n = len(tallies)
        temperature = "cold: each stored feed dropped first" if args.cold else "warm"
        print(
            f"== Home feed, {n} requests one at a time over {len(tokens)} accounts ({temperature})"
        )
        print(f"body {statistics.fmean(sizes) / 1024:.1f} KiB; CPU per request: {ms(cpu)}")
        statements = Counter(s for t in tallies for s in t.statements)
        commands = Counter(c for t in tallies for c in t.redis)
        print(f"statements per request: {sum(statements.values()) / n:.2f}")
        for kind, count in statements.most_common():
            print(f"  {count / n:5.2f} x  {kind}")
        print(f"Redis commands per request: {sum(commands.values()) / n:.2f}")
        for kind, count in commands.most_common():
            print(f"  {count / n:5.2f} x  {kind}")

        # 2. The phases and the port calls, timed in CPU.
        spent: defaultdict[str, list[float]] = defaultdict(list)
        home = use_cases.get(HomeFeed)
        timed_ports = (
            (home._store, "read", "feed store read (Redis)"),
            (home._reads.overlay, "overlay", "overlay (PostgreSQL)"),
            (home._reads.views, "present", "presentations (memory, Redis)"),
        )
        originals = [(obj, name, getattr(obj, name)) for obj, name, _ in timed_ports]
        for obj, name, label in timed_ports:
            setattr(obj, name, _timed(getattr(obj, name), spent[label]))
        for i in range(args.requests):
            token = tokens[i % len(tokens)]
            await forget(i)
            a = time.process_time()
            viewer = await authenticate.execute(token)
            b = time.process_time()
            page = await home.execute(viewer, FIRST_PAGE)
            c = time.process_time()
            feed_page_response(page)
            d = time.process_time()
            spent["authenticate (JWT, session)"].append(b - a)
            spent["HomeFeed.execute (all of it)"].append(c - b)
            spent["response bytes"].append(d - c)
        for obj, name, original in originals:
            setattr(obj, name, original)
        print("CPU of the phases and ports (called directly, one at a time):")
        for label, values in spent.items():
            print(f"  {label:34s} {ms(values)}")

        # 3. CPU per request with requests in flight at once.
        if args.concurrency > 1:
            per_worker = max(1, args.requests // args.concurrency)
            queue = [tokens[i % len(tokens)] for i in range(per_worker * args.concurrency)]

            async def worker(offset: int) -> None:
                for j in range(offset, len(queue), args.concurrency):
                    await get(app, queue[j])

            began, wall = time.process_time(), time.perf_counter()
            await asyncio.gather(*(worker(k) for k in range(args.concurrency)))
            took, wall = time.process_time() - began, time.perf_counter() - wall
            print(
                f"{args.concurrency} requests in flight: {took / len(queue) * 1e3:.3f} ms CPU per "
                f"request, {len(queue) / wall:,.0f} req/s in this one process"
            )

        # 4. A profile of whole requests.
        if not args.profile:
            return

        async def many() -> None:
            for i in range(args.requests):
                await forget(i)
                await get(app, tokens[i % len(tokens)])

        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="enabled", interval=0.0005)
            profiler.start()
            await many()
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
            return
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        await many()
        prof.disable()
        print_by_package(prof, args.requests)
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime").print_stats(args.top)
        print(f"cProfile (CPU clock), {args.requests} requests, by own time (top {args.top}):")
        print("\n".join(out.getvalue().splitlines()[4:]))


def _timed(call: Callable[..., Awaitable[Any]], into: list[float]) -> Callable[..., Any]:
    async def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return await call(*args, **kwargs)
        finally:
            into.append(time.process_time() - began)

    return timed


PACKAGES = (
    ("social/", "social (our code)"),
    ("asyncpg/", "asyncpg"),
    ("litestar/", "litestar"),
    ("redis/", "redis-py"),
    ("hiredis", "redis-py"),
    ("asyncio/", "asyncio"),
    ("anyio/", "anyio"),
    ("msgspec", "msgspec"),
    ("jwt/", "PyJWT"),
    ("prometheus", "prometheus"),
    ("uuid", "uuid"),
)


def print_by_package(prof: cProfile.Profile, requests: int) -> None:
    """Own CPU time (``tottime``) summed by the package each function lives in."""
    stats = pstats.Stats(prof)
    totals: defaultdict[str, float] = defaultdict(float)
    for (filename, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        where = filename + name
        group = next((label for key, label in PACKAGES if key in where), "other")
        if group == "other" and filename == "~":
            group = "builtins (C: dict, socket, bytes, ...)"
        totals[group] += row[2]
    whole = sum(totals.values())
    print(
        f"cProfile, own CPU by package ({requests} requests; {whole / requests * 1e3:.2f} ms "
        "per request with the profiler's overhead):"
    )
    for group, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / whole:6.1%}  {seconds / requests * 1e3:6.3f} ms  {group}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", default="/tmp/social_bench/tokens.txt")  # noqa: S108
    parser.add_argument("--accounts", type=int, default=500, help="feeds read (round robin)")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--cold", action="store_true", help="drop each feed before reading it")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    args = parser.parse_args()
    asyncio.run(profile(args))


if __name__ == "__main__":
    main()
