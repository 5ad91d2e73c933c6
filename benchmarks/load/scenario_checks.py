"""The four scenarios of run.py: which Locust users run, for how long, and which figures are
held to which target (§10 and issue 19), each printed met or MISSED."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fanout
import report
from app_timeline_load import read_all
from locust_run import LocustRun, locust_command, peak_users, start_locust
from seeded import DEFAULT_PASSWORD, jpeg

WRITES = (
    "POST /posts (writer)",
    "POST /posts/{id}/like (writer)",
    "DELETE /posts/{id}/like (writer)",
    "POST /posts/{id}/comments (writer)",
    "POST /users/{u}/follow (writer)",
    "DELETE /users/{u}/follow (writer)",
)
FEED = ("GET /feed", "GET /feed?cursor")


@dataclass
class Context:
    args: argparse.Namespace
    out: Path
    lines: list[str]
    health: Any = None
    state: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)


Locust = Callable[..., Any]


@dataclass(frozen=True)
class Scenario:
    run: Callable[[Context, Locust, Any], None]
    locustfile: str = "scenarios.py"
    before: Callable[[Context], Any] = lambda _: nullcontext()


def _stats(context: Context, run: LocustRun, title: str) -> list[report.Row]:
    rows = report.read_stats(run.prefix)
    context.say(f"\n-- {title}: after the ramp-up, {run.cpu.wall:.0f} s")
    context.say(report.table(rows))
    for line in report.failures(run.prefix):
        context.say("  failure " + line)
    cpu = run.cpu
    context.say(
        f"CPU (cores of 2): Locust {run.locust_cores:.2f}, social serve {run.server_cores:.2f}; "
        f"machine busy {cpu.machine_busy:.0%} (PostgreSQL, Redis, other agents: the rest); "
        f"peak users {peak_users(run.prefix):,}"
    )
    return rows


def _health_line(context: Context) -> None:
    h = context.health
    context.say(
        f"{'GET /health/live, same server and run (wrk)':<46} {h.rps:>9,.0f} req/s  "
        f"p99 {h.p99_ms:.1f} ms"
    )


def warm_feeds(context: Context) -> None:
    """Every seeded account's first feed page read once, a few at a time: a running product's
    stored feeds are in Redis (the soak shows that steady state); a cold store rebuilds each
    feed from PostgreSQL on its first read, and a 3-minute run would measure those rebuilds."""
    tokens = [t for t in Path(context.args.tokens).read_text().split() if t]
    started = time.perf_counter()
    failed = asyncio.run(read_all(context.args.base_url, "/api/v1/feed?limit=20", tokens, 8))
    context.say(
        f"feeds warmed: {len(tokens):,} accounts' first page in "
        f"{time.perf_counter() - started:.0f} s, {failed} failed"
    )


def mixed(context: Context, locust: Locust, _: Any) -> None:
    args = context.args
    users, seconds = args.users or 10_000, args.run_time or 180
    if not args.cold:
        warm_feeds(context)
    run = locust("mixed", ["TokenMember", "PasswordMember"], users, seconds)
    total = report.total(_stats(context, run, f"mixed workload, {users:,} users"))
    context.say()
    context.say(report.beside("all requests, req/s", total.rps, "req/s", 1000, at_most=False))
    context.say(report.beside("all requests, p99", total.p99, "ms", 200))
    context.say(f"{'all requests, p50 / p95':<46} {total.p50:>9,.0f} / {total.p95:,.0f} ms")
    context.say(report.beside("failed requests", total.failures, "", 0))
    _health_line(context)


def writes(context: Context, locust: Locust, _: Any) -> None:
    args = context.args
    background = args.users or 1000
    users, seconds = background + args.writers, args.run_time or 120
    run = locust("writes", ["Writer", "TokenMember"], users, seconds, writers=args.writers)
    rows = _stats(
        context, run, f"{args.writers} writers at 1 write/s + {background:,} mixed members"
    )
    written = report.pick(rows, WRITES)
    context.say()
    rate = report.combined_rps(written)
    context.say(
        report.beside(
            "writes (post, like, comment, follow), req/s",
            rate,
            "req/s",
            0.95 * args.writers,
            at_most=False,
        )
    )
    context.say(
        report.beside("writes, worst p99 of the six", report.worst(written, "p99"), "ms", 100)
    )
    context.say(report.beside("writes, failed", sum(r.failures for r in written), "", 0))
    _health_line(context)


def login(context: Context, locust: Locust, _: Any) -> None:
    args = context.args
    readers, seconds = args.users or args.readers, args.run_time or 90
    alone = locust("feed-alone", ["FeedReader"], readers, seconds)
    before = report.pick(_stats(context, alone, f"{readers} feed readers alone"), FEED)
    users = readers + round(args.login_rate * 2)
    both = locust(
        "feed-and-login", ["FeedReader", "SignIn"], users, seconds, login_rate=args.login_rate
    )
    rows = _stats(context, both, f"{readers} feed readers + sign-ins at {args.login_rate:g}/s")
    after, signin = report.pick(rows, FEED), report.pick(rows, ("POST /auth/login",))
    context.say()
    p99_alone, p99_with = report.worst(before, "p99"), report.worst(after, "p99")
    context.say(
        report.beside(
            "sign-ins, req/s",
            report.combined_rps(signin),
            "req/s",
            0.95 * args.login_rate,
            at_most=False,
        )
    )
    context.say(report.beside("sign-in p95", report.worst(signin, "p95"), "ms", 250))
    context.say(f"{'feed p99 alone (worst of first page, scroll)':<46} {p99_alone:>9,.0f} ms")
    bound = max(p99_alone * 1.1, p99_alone + 5)
    context.say(
        report.beside("feed p99 with sign-ins (≤ alone +10 % or 5 ms)", p99_with, "ms", bound)
    )
    context.say(report.beside("failed requests", report.total(rows).failures, "", 0))
    _health_line(context)


@contextmanager
def everyone_follows(context: Context) -> Iterator[None]:
    url, name = context.args.database_url, context.args.author
    author, added, count = asyncio.run(fanout.follow_everyone(url, name))
    context.say(f"{name} now has {count:,} followers ({len(added):,} follows added for the run)")
    try:
        yield
    finally:
        gone = asyncio.run(fanout.unfollow(url, author, added))
        context.say(f"{gone:,} added follows removed (the seeded graph again)")


def fan_out(context: Context, _: Locust, server: Any) -> None:
    args = context.args
    background, seconds = args.users or 1000, args.run_time or 0
    tokens = [t for t in Path(args.tokens).read_text().split() if t]
    readers = random.Random(19).sample(tokens, min(args.sample, len(tokens)))
    ramp = background / args.spawn_rate
    window = seconds or ramp + args.posts * 6 + 60
    options = {"users": background, "spawn_rate": args.spawn_rate, "run_time": f"{round(window)}s"}
    options |= {
        "tokens_file": args.tokens,
        "think_min": args.think_min,
        "think_max": args.think_max,
    }
    command = locust_command(
        server.url, context.out / "fanout", ["TokenMember"], options, "locustfile.py"
    )
    locust = start_locust(command, context.out / "fanout.log")
    try:
        asyncio.run(asyncio.sleep(ramp + 5))
        context.say(
            f"{background:,} mixed members running; {args.posts} posts by {args.author}, "
            f"{len(readers)} followers polled each 0.25 s"
        )
        waits, missed = asyncio.run(
            fanout.probe(
                server.url,
                (args.author, DEFAULT_PASSWORD),
                readers,
                jpeg(),
                posts=args.posts,
                every_s=6.0,
                poll_s=0.25,
            )
        )
    finally:
        os.killpg(locust.pid, signal.SIGTERM)  # Locust writes its reports on the way out
        locust.wait(120)
    rows = _stats_from(context, "fanout")
    ms = sorted(w * 1000 for w in waits) or [0.0]
    pct = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    context.say()
    mode = "merged at read" if args.fan_out_threshold < 9999 else "fanned out on write"
    context.say(f"author above the threshold? {mode} (threshold {args.fan_out_threshold:,})")
    context.say(
        f"{'post visible in a follower feed, p50 / max':<46} {pct(0.5):>9,.0f} / {ms[-1]:,.0f} ms "
        f"({len(waits)} feeds, poll 250 ms)"
    )
    context.say(report.beside("post visible in a follower feed, p95", pct(0.95), "ms", 2000))
    context.say(report.beside("feeds that never showed it (30 s)", missed, "", 0))
    context.say(report.beside("background failed requests", report.total(rows).failures, "", 0))
    _health_line(context)


def _stats_from(context: Context, name: str) -> list[report.Row]:
    rows = report.read_stats(context.out / name)
    context.say("\n-- background mixed members during the fan-out (Locust)")
    context.say(report.table(rows))
    return rows


SCENARIOS = {
    "mixed": Scenario(run=mixed, locustfile="locustfile.py"),
    "writes": Scenario(run=writes),
    "login": Scenario(run=login),
    "fanout": Scenario(run=fan_out, locustfile="locustfile.py", before=everyone_follows),
}
