"""Where a home-feed request spends its time: SQL statements and Redis round trips per request,
the time of each phase (authentication, the use case, the response objects, JSON encoding), and
a profile of whole requests through the app.

    . /tmp/social_bench/server.env   # the same SOCIAL_* settings as the benchmarked server
    uv run python benchmarks/feed_profile.py --tokens /tmp/social_bench/tokens.txt --requests 200
    uv run --with pyinstrument python benchmarks/feed_profile.py --pyinstrument   # a call tree

It builds the app with ``social.app.create_app`` from the ``SOCIAL_*`` environment (the seeded
database and Redis; the in-process job worker is switched off), runs its lifespan in this
process and sends requests through httpx's ASGI transport, one at a time: the figures are per
request with no concurrency, on warm stored feeds (each feed is read once before measuring),
or with ``--cold`` on feeds dropped from the store just before each read (the read rebuilds
them from PostgreSQL).
SQL is counted with SQLAlchemy's ``before/after_cursor_execute`` events, Redis with a wrapper
around the client's ``execute_command`` and pipeline ``execute``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec
from redis.asyncio.client import Pipeline, Redis
from sqlalchemy import event
from sqlalchemy.engine import Engine

from social.adapters.http.feed.schemas import feed_page_out
from social.adapters.http.pagination import page_request
from social.app import create_app
from social.settings import Settings

FEED = "/api/v1/feed?limit=20"


@dataclass
class Tally:
    """What one request did: statements with their time, Redis round trips."""

    statements: list[tuple[str, float]] = field(default_factory=list)
    redis: list[str] = field(default_factory=list)
    started: dict[int, float] = field(default_factory=dict)


current: list[Tally] = [Tally()]


def install_counters() -> None:
    @event.listens_for(Engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        current[0].started[id(cursor)] = time.perf_counter()

    @event.listens_for(Engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        began = current[0].started.pop(id(cursor), time.perf_counter())
        current[0].statements.append((statement, time.perf_counter() - began))

    original_command = Redis.execute_command
    original_pipeline = Pipeline.execute

    async def execute_command(self: Redis, *args: Any, **kwargs: Any) -> Any:
        current[0].redis.append(str(args[0]))
        return await original_command(self, *args, **kwargs)

    async def pipeline_execute(self: Pipeline, *args: Any, **kwargs: Any) -> Any:
        names = [str(c[0][0]) for c in self.command_stack]
        current[0].redis.append("PIPELINE(" + " ".join(names) + ")")
        return await original_pipeline(self, *args, **kwargs)

    Redis.execute_command = execute_command  # type: ignore[method-assign]
    Pipeline.execute = pipeline_execute  # type: ignore[method-assign]


@contextmanager
def tally() -> Iterator[Tally]:
    t = Tally()
    current[0] = t
    try:
        yield t
    finally:
        current[0] = Tally()


def kind_of(statement: str) -> str:
    """A short name for a statement: its first table and a hint of its shape."""
    s = " ".join(statement.split())
    tables = re.findall(r"FROM (\w+)", s)
    head = s[:6]
    if "union" in s.lower() and "follows" in s and "blocks" in s:
        return "graph.ties (6-way UNION)"
    if "likes" in tables and "bookmarks" in tables:
        return "interactions.flags (3-way UNION)"
    if "auth_sessions" in tables:
        return "sessions.find_active"
    if "posts" in tables and "shares" in tables and "ORDER BY" in s:
        return "feed_source entries (posts+shares)"
    if tables[:1] == ["follows"] and "followers_count" in s:
        return "feed_source.large_followees"
    return f"{head} {', '.join(dict.fromkeys(tables))}"


def ms(values: list[float]) -> str:
    if not values:
        return "-"
    median, mean = statistics.median(values) * 1000, statistics.fmean(values) * 1000
    return f"median {median:.2f} ms, mean {mean:.2f} ms"


async def profile(args: argparse.Namespace) -> None:
    settings = Settings.from_env(run_worker_in_process=False)
    text = await asyncio.to_thread(Path(args.tokens).read_text)
    tokens = [t for t in text.split() if t][: args.accounts]
    install_counters()
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client,
    ):
        headers = [{"Authorization": f"Bearer {t}"} for t in tokens]
        for h in headers:  # warm: feeds stored, sessions cached, statements compiled
            reply = await client.get(FEED, headers=h)
            assert reply.status_code == 200, reply.text

        # 1. Whole requests: statements and Redis round trips per request.
        per_request: list[Tally] = []
        walls: list[float] = []
        sizes: list[int] = []
        items: list[int] = []
        feeds = app.state.adapters.feeds
        owners = [(await app.state.use_cases.authenticate.execute(t)).user_id for t in tokens]

        async def forget(i: int) -> None:
            """``--cold``: drop the stored feed, so the read rebuilds it from PostgreSQL."""
            if args.cold:
                await feeds.forget(owners[i % len(owners)])

        for i in range(args.requests):
            await forget(i)
            with tally() as t:
                began = time.perf_counter()
                reply = await client.get(FEED, headers=headers[i % len(headers)])
                walls.append(time.perf_counter() - began)
            sizes.append(len(reply.content))
            items.append(len(reply.json()["items"]))
            per_request.append(t)
        n = len(per_request)
        temperature = "cold: each stored feed dropped first" if args.cold else "warm stored feeds"
        print(
            f"== Home feed, one request at a time ({n} requests over {len(tokens)} accounts, "
            f"{temperature})"
        )
        print(
            f"items per page: {statistics.fmean(items):.1f}; "
            f"body {statistics.fmean(sizes) / 1024:.1f} KiB"
        )
        print(f"wall time per request (httpx ASGI transport, in process): {ms(walls)}")
        statements = [len(t.statements) for t in per_request]
        sql_time = [sum(d for _, d in t.statements) for t in per_request]
        print(
            f"SQL statements per request: mean {statistics.fmean(statements):.1f} "
            f"(min {min(statements)}, max {max(statements)}); time in them: {ms(sql_time)}"
        )
        kinds: Counter[str] = Counter()
        kind_time: defaultdict[str, float] = defaultdict(float)
        for t in per_request:
            for s, d in t.statements:
                kinds[kind_of(s)] += 1
                kind_time[kind_of(s)] += d
        for k, c in kinds.most_common():
            print(f"  {c / n:5.2f} x  {kind_time[k] / c * 1000:6.2f} ms  {k}")
        texts = {s for t in per_request for s, _ in t.statements}
        print(
            f"distinct statement texts over the {n} requests: {len(texts)} (IN lists are "
            "expanded, so each list length is a new text to prepare; the asyncpg dialect keeps "
            "100 prepared statements per connection)"
        )
        redis_calls = [len(t.redis) for t in per_request]
        print(f"Redis round trips per request: mean {statistics.fmean(redis_calls):.1f}")
        rkinds: Counter[str] = Counter(r for t in per_request for r in t.redis)
        for k, c in rkinds.most_common(6):
            print(f"  {c / n:5.2f} x  {k}")

        # 2. Phases, called directly with the app's own objects.
        state = app.state
        use_cases, media = state.use_cases, state.media_presenter
        auth_t, feed_t, out_t, enc_t = [], [], [], []
        for i in range(args.requests):
            token = tokens[i % len(tokens)]
            await forget(i)
            a = time.perf_counter()
            viewer = await use_cases.authenticate.execute(token)
            b = time.perf_counter()
            page = await use_cases.home_feed.execute(viewer, page_request(20, None))
            c = time.perf_counter()
            body = await feed_page_out(page, media)
            d = time.perf_counter()
            msgspec.json.encode(body)
            e = time.perf_counter()
            auth_t.append(b - a)
            feed_t.append(c - b)
            out_t.append(d - c)
            enc_t.append(e - d)
        print("phases (called directly, same accounts):")
        print(f"  authenticate (JWT + session lookup):   {ms(auth_t)}")
        print(f"  HomeFeed.execute (store, SQL, domain): {ms(feed_t)}")
        print(f"  feed_page_out (msgspec objects, URLs): {ms(out_t)}")
        print(f"  msgspec.json.encode:                   {ms(enc_t)}")
        total = sum(map(statistics.median, (auth_t, feed_t, out_t, enc_t)))
        print(
            f"  sum of medians {total * 1000:.2f} ms vs the request's "
            f"{statistics.median(walls) * 1000:.2f} ms: the rest is Litestar, middleware, "
            "the client"
        )

        # 3. A profile of whole requests.
        async def many() -> None:
            for i in range(args.requests):
                await forget(i)
                await client.get(FEED, headers=headers[i % len(headers)])

        if not args.profile:
            return
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="enabled", interval=0.0005)
            profiler.start()
            await many()
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        else:
            prof = cProfile.Profile()
            prof.enable()
            await many()
            prof.disable()
            print_by_package(prof, args.requests)
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime")
            stats.print_stats(args.top)
            print(f"cProfile, {args.requests} requests, by own time (top {args.top}):")
            print("\n".join(out.getvalue().splitlines()[4:]))


PACKAGES = (
    ("social/", "social (our code)"),
    ("sqlalchemy/", "sqlalchemy"),
    ("advanced_alchemy/", "advanced_alchemy"),
    ("asyncpg/", "asyncpg"),
    ("greenlet", "greenlet"),
    ("litestar/", "litestar"),
    ("httpx/", "httpx (the test client)"),
    ("httpcore/", "httpx (the test client)"),
    ("redis/", "redis-py"),
    ("asyncio/", "asyncio"),
    ("urllib/", "urllib (URL signing)"),
    ("hmac", "hmac (URL signing)"),
    ("msgspec", "msgspec"),
    ("cryptography", "cryptography (email decryption)"),
    ("jwt/", "PyJWT"),
    ("prometheus", "prometheus"),
)


def print_by_package(prof: cProfile.Profile, requests: int) -> None:
    """Own CPU time (cProfile ``tottime``) summed by the package each function lives in."""
    stats = pstats.Stats(prof)
    totals: defaultdict[str, float] = defaultdict(float)
    for (filename, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        where = filename + name
        if "epoll" in name or "select" in name:
            group = "waiting for I/O (epoll)"
        else:
            group = next((label for key, label in PACKAGES if key in where), "other")
            if group == "other" and filename == "~":
                group = "builtins (C: uuid, dict, isinstance, socket, ...)"
        totals[group] += own
    whole = sum(totals.values())
    print(
        f"cProfile, own time by package ({requests} requests; {whole / requests * 1000:.1f} ms "
        "per request with the profiler's overhead):"
    )
    for group, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / whole:6.1%}  {seconds / requests * 1000:6.2f} ms  {group}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", default="/tmp/social_bench/tokens.txt")  # noqa: S108
    parser.add_argument("--accounts", type=int, default=50, help="feeds read (round robin)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--cold", action="store_true", help="drop each feed before reading it")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    args = parser.parse_args()
    asyncio.run(profile(args))


if __name__ == "__main__":
    main()
