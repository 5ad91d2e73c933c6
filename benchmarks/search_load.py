"""Search at 1,000,000 posts against §10: tag, text and nearby queries with p99 ≤ 100 ms on
OpenSearch and ≤ 250 ms on the PostgreSQL adapter, through the API and in the engine alone.

    # the search port in-process (the adapter the SOCIAL_* environment names), one at a time:
    uv run python benchmarks/search_load.py engine --adapter postgres --explain
    # a running server (``social serve``), with wrk at a fixed concurrency:
    uv run python benchmarks/search_load.py http --adapter postgres \\
        --base-url http://127.0.0.1:8011 --tokens /tmp/social_search_bench/tokens.txt \\
        --database-url postgresql://postgres@127.0.0.1:54329/social_search_bench

Data: ``benchmarks/seed_search_data.py``, then ``social reindex`` (see docs/benchmarks.md).
Queries are drawn (``--seed``) from the seed's own vocabulary, so they find what a user would:

- text: one caption word (70 %), two words of one phrase (15 %), two words of unrelated phrases
  (10 %, few posts have both), stems, folded accents and misses (5 %: ``berlari``, ``cafe``,
  ``durian``);
- tags: a tag of log-uniform popularity rank (head, torso and tail alike), 5 % that no post
  carries; tag prefixes of 1 to 4 letters of such tags;
- nearby: a point around one of the seed's cities (drawn by its share of posts, within its
  spread), a radius of 5, 10, 15, 20 or 25 km, nearest first or newest first.

``engine`` builds the adapter exactly as the server does (``Settings.from_env``; OpenSearch when
``SOCIAL_OPENSEARCH_URL`` is set) and calls the ``SearchIndex`` methods directly, ``--queries``
of each (after a few unmeasured), one at a time: p50/p95/p99 per method and per kind of query,
and the slowest queries. With the PostgreSQL adapter ``--explain`` runs ``EXPLAIN (ANALYZE,
BUFFERS)`` on the statements of the slowest ones; with OpenSearch the engine's own ``took`` is
printed beside the client's wall time.

``http`` first sends ``--sequential`` requests of each endpoint one at a time with httpx (the
API's own latency, no queueing; it also says how many posts the pages hold), then runs wrk
(``--connections``, ``--duration`` s each, after a short warm-up) on each endpoint with its
queries and the access tokens rotating, one per request (``read_load.run_rotating``), and
``GET /health/live`` last: RPS, p50/p95/p99, errors, the target, and each endpoint's RPS beside
the health check's. Besides the searches it measures two pages of posts against §10's
"≥ 800 req/s, p99 ≤ 100 ms": the tag page ``GET /api/v1/tags/{tag}/posts?limit=20`` (tags drawn
as for the tag queries above) and the profile grid ``GET /api/v1/users/{username}/posts?limit=20``
(``--pool`` usernames of public, active accounts with posts, drawn with ``--seed`` from
``--database-url`` with asyncpg, read only; ``--database-url ''`` leaves the grid out).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from feed_load import Result, verdict, wrk_version
from read_load import pick, report_beside_health, run_rotating
from seed_search_data import (
    ACCENT_PHRASES,
    CITIES,
    EN_PHRASES,
    ID_PHRASES,
    TAGS,
    Draw,
)

TARGET_P99_MS = {"opensearch": 100.0, "postgres": 250.0}
PAGE_TARGET = (800, 100.0)  # a page of posts (tag page, profile grid): req/s at least, p99 ms
HEALTH_PATH = "/health/live"
LIMIT = 20
RADII_KM = (5.0, 10.0, 15.0, 20.0, 25.0)
_STOP = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "itu",
        "tapi",
        "the",
        "a",
        "an",
        "and",
        "of",
        "to",
        "in",
        "on",
        "at",
        "with",
        "for",
        "my",
        "all",
        "but",
        "from",
        "so",
        "is",
        "around",
        "first",
        "good",
    ]
)
SPECIAL_TEXT = (
    ("stem", "berlari"),
    ("stem", "mendaki"),
    ("stem", "pendaki"),
    ("stem", "makanan"),
    ("stem", "running"),
    ("stem", "hiking"),
    ("stem", "waterfalls"),
    ("folded", "cafe"),
    ("folded", "creme brulee"),
    ("folded", "acai"),
    ("folded", "jalapeno"),
    ("folded", "CAFÉ"),
    ("miss", "durian"),
    ("miss", "kopii"),
    ("miss", "pizza margherita"),
)

# ------------------------------------------------------------------------------ queries


def _words(phrases: tuple[str, ...]) -> list[str]:
    found = {w for p in phrases for w in p.lower().replace("-", " ").split()}
    return sorted(w for w in found if len(w) >= 3 and w not in _STOP and w.isalpha())


@dataclass(frozen=True, slots=True)
class Query:
    kind: str  # what sort of query, for the breakdown: "1 word", "tail tag", "r=10 km", …
    args: tuple[Any, ...]  # the port method's arguments
    path: str  # the API request

    def describe(self) -> str:
        return " ".join(str(a) for a in self.args)


class Queries:
    """Deterministic draws of every kind of query (``seed``)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.id_words = _words(ID_PHRASES)
        self.en_words = _words(EN_PHRASES)
        self.phrases = [p for p in (*ID_PHRASES, *EN_PHRASES) if len(self._content(p)) >= 2]
        self.cities = Draw(self.rng, [c.weight for c in CITIES])
        self.usernames: list[str] = []  # for the profile grid: set from the database
        self._next_user = 0

    def _content(self, phrase: str) -> list[str]:
        words = phrase.lower().replace("-", " ").split()
        return [w for w in words if len(w) >= 3 and w not in _STOP and w.isalpha()]

    def _rank(self) -> int:
        """A popularity rank, log-uniform over the vocabulary (0-based)."""
        return min(int(math.exp(self.rng.random() * math.log(len(TAGS)))) - 1, len(TAGS) - 1)

    @staticmethod
    def rank_kind(rank: int) -> str:
        return "head tag (rank 1-20)" if rank < 20 else (
            "torso tag (21-300)" if rank < 300 else "tail tag (301-3000)"
        )  # fmt: skip

    def text(self) -> Query:
        rng = self.rng
        roll = rng.random()
        if roll < 0.70:
            kind, text = "1 word", rng.choice(rng.choice((self.id_words, self.en_words)))
        elif roll < 0.85:
            kind, text = (
                "2 words, one phrase",
                " ".join(rng.sample(self._content(rng.choice(self.phrases)), 2)),
            )
        elif roll < 0.95:
            a, b = rng.sample(self.phrases, 2)
            kind, text = (
                "2 words, unrelated",
                f"{rng.choice(self._content(a))} {rng.choice(self._content(b))}",
            )
        else:
            kind, text = rng.choice(SPECIAL_TEXT)
            if kind != "miss" and rng.random() < 0.3:
                kind, text = "folded", rng.choice(ACCENT_PHRASES).split()[0]
        params = {"q": text, "type": "posts", "limit": LIMIT}
        return Query(kind, (text,), "/api/v1/search?" + urlencode(params, quote_via=quote))

    def tag(self) -> Query:
        if self.rng.random() < 0.05:
            tag, kind = f"tidakada{self.rng.randrange(10**6)}", "missing tag"
        else:
            rank = self._rank()
            tag, kind = TAGS[rank], self.rank_kind(rank)
        return Query(kind, (tag,), f"/api/v1/tags/{quote(tag)}")

    def tag_prefix(self) -> Query:
        rank = self._rank()
        tag = TAGS[rank]
        length = min(len(tag), self.rng.choices((1, 2, 3, 4), weights=(15, 35, 30, 20))[0])
        prefix = tag[:length]
        params = {"q": prefix, "type": "tags", "limit": LIMIT}
        return Query(
            f"prefix of {length}", (prefix,), "/api/v1/search?" + urlencode(params, quote_via=quote)
        )

    def nearby(self, sort: str) -> Query:
        rng = self.rng
        city = CITIES[self.cities.one()]
        lat = round(city.latitude + rng.gauss(0, city.sigma_km) / 111.2, 5)
        lon = round(city.longitude + rng.gauss(0, city.sigma_km) / 111.2, 5)
        radius = rng.choice(RADII_KM)
        params = {"lat": lat, "lon": lon, "radius_km": radius, "sort": sort, "limit": LIMIT}
        return Query(
            f"r={radius:g} km",
            (lat, lon, radius, city.name),
            "/api/v1/places/nearby?" + urlencode(params),
        )

    def tag_page(self) -> Query:
        """A tag page, the tag drawn as ``tag`` draws it."""
        q = self.tag()
        return Query(q.kind, q.args, f"/api/v1/tags/{quote(q.args[0])}/posts?limit={LIMIT}")

    def profile_grid(self) -> Query:
        """A profile grid: the next of ``usernames`` (drawn already), in turn."""
        if not self.usernames:
            raise RuntimeError("no usernames for the profile grid: set Queries.usernames")
        name = self.usernames[self._next_user % len(self.usernames)]
        self._next_user += 1
        return Query("profile grid", (name,), f"/api/v1/users/{quote(name)}/posts?limit={LIMIT}")

    def trending(self) -> Query:
        limit = self.rng.choice((10, 20, 50))
        return Query(f"limit {limit}", (limit,), f"/api/v1/tags/trending?limit={limit}")


@dataclass(frozen=True, slots=True)
class Endpoint:
    label: str
    draw: Callable[[Queries], Query]
    searched: bool = True  # one of §10's "tag, text and nearby" figures
    target: tuple[int, float] | None = None  # (req/s at least, p99 ms at most) if not searched
    usernames: bool = False  # draws from Queries.usernames (read from --database-url)


ENDPOINTS = (
    Endpoint("GET /search?type=posts (text)", Queries.text),
    Endpoint("GET /search?type=tags (prefix)", Queries.tag_prefix),
    Endpoint("GET /places/nearby (distance)", lambda q: q.nearby("distance")),
    Endpoint("GET /places/nearby (recent)", lambda q: q.nearby("recent")),
    Endpoint("GET /tags/{tag} (count)", Queries.tag),
    Endpoint("GET /tags/trending", Queries.trending, searched=False),
    Endpoint("GET /tags/{tag}/posts (page)", Queries.tag_page, searched=False, target=PAGE_TARGET),
    Endpoint(
        "GET /users/{name}/posts (grid)",
        Queries.profile_grid,
        searched=False,
        target=PAGE_TARGET,
        usernames=True,
    ),
)
USERNAMES_SQL = """
    SELECT u.username FROM users u
    WHERE u.status = 'active' AND NOT u.is_private
      AND EXISTS (SELECT 1 FROM posts p WHERE p.author_id = u.id)
"""

# ------------------------------------------------------------------------------ statistics


def percentile(values: list[float], share: float) -> float:
    """Nearest rank, like wrk's."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def summary(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.50):7.1f}  p95 {percentile(values, 0.95):7.1f}  "
        f"p99 {percentile(values, 0.99):7.1f}  max {max(values):7.1f} ms"
    )


# ------------------------------------------------------------------------------ engine


@dataclass(slots=True)
class Sample:
    query: Query
    ms: float
    hits: int
    statements: list[tuple[str, Any]] = field(default_factory=list)
    took_ms: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    draw: Callable[[Queries], Query]
    call: Callable[[Any, Query], Awaitable[int]]  # (index, query) -> hits


def _methods() -> list[Method]:
    from social.domain.search.model import GeoPoint
    from social.domain.shared.pagination import PageRequest

    page = PageRequest(limit=LIMIT)
    ranked = PageRequest(limit=LIMIT)

    async def by_tag(index: Any, q: Query) -> int:
        return len((await index.posts_by_tag(q.args[0], page)).items)

    async def matching(index: Any, q: Query) -> int:
        return len((await index.posts_matching(q.args[0], page)).items)

    async def near(index: Any, q: Query) -> int:
        found = await index.posts_near(GeoPoint(q.args[0], q.args[1]), q.args[2], ranked)
        return len(found.items)

    async def near_recent(index: Any, q: Query) -> int:
        found = await index.posts_near_recent(GeoPoint(q.args[0], q.args[1]), q.args[2], page)
        return len(found.items)

    async def prefix(index: Any, q: Query) -> int:
        return len(await index.tags_by_prefix(q.args[0], LIMIT))

    async def count(index: Any, q: Query) -> int:
        return int(await index.tag_count(q.args[0]))

    async def trending(index: Any, q: Query) -> int:
        since = datetime.now(UTC) - timedelta(days=1)
        return len(await index.trending_tags(since, q.args[0]))

    return [
        Method("posts_matching", Queries.text, matching),
        Method("posts_by_tag", Queries.tag, by_tag),
        Method("tags_by_prefix", Queries.tag_prefix, prefix),
        Method("posts_near", lambda q: q.nearby("distance"), near),
        Method("posts_near_recent", lambda q: q.nearby("recent"), near_recent),
        Method("tag_count", Queries.tag, count),
        Method("trending_tags (24 h)", Queries.trending, trending),
    ]


async def engine(args: argparse.Namespace) -> None:
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from social.adapters.postgres.database import Database
    from social.adapters.search.opensearch_index import OpenSearchIndex
    from social.adapters.search.postgres_index import PostgresSearchIndex
    from social.settings import Settings

    settings = Settings.from_env()
    adapter = "opensearch" if settings.services.opensearch_url else "postgres"
    if adapter != args.adapter:
        sys.exit(f"--adapter {args.adapter}, but the SOCIAL_* environment names {adapter}")
    database = Database.connect(settings.services.database_url, pool_size=4, pool_timeout_s=10)
    if args.plan_cache_mode:  # what the server would get from a connection setting
        await database.close()
        engine = create_async_engine(
            settings.services.database_url,
            pool_size=4,
            max_overflow=0,
            connect_args={"server_settings": {"plan_cache_mode": args.plan_cache_mode}},
        )
        database = Database(
            engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False)
        )
    statements: list[tuple[str, Any]] = []
    took: list[int] = []
    index: Any
    if adapter == "opensearch":
        name = f"{settings.services.opensearch_index_prefix}-{settings.services.search_index_name}"
        index = OpenSearchIndex(settings.services.opensearch_url, index_name=name)
        client = index.client
        plain_search = client.search

        async def timed_search(*a: Any, **kw: Any) -> Any:
            response = await plain_search(*a, **kw)
            took.append(int(response.get("took", 0)))
            return response

        client.search = timed_search
        where = f"{settings.services.opensearch_url}, alias {name}"
    else:
        index = PostgresSearchIndex(database.sessions)

        @event.listens_for(database.engine.sync_engine, "before_cursor_execute")
        def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            statements.append((statement, parameters))

        where = settings.services.database_url.rsplit("@", 1)[-1]
        if args.plan_cache_mode:
            where += f", plan_cache_mode={args.plan_cache_mode}"
    print(f"== Search engine in-process ({adapter}: {where}), one query at a time")
    print(
        f"{args.queries} measured queries per method after {args.warmup} unmeasured; limit {LIMIT}"
    )
    queries = Queries(args.seed)
    results: dict[str, list[Sample]] = {}
    try:
        for method in _methods():
            for _ in range(args.warmup):
                await method.call(index, method.draw(queries))
            samples = []
            for _ in range(args.queries):
                q = method.draw(queries)
                statements.clear()
                took.clear()
                started = time.perf_counter()
                hits = await method.call(index, q)
                ms = (time.perf_counter() - started) * 1000
                samples.append(Sample(q, ms, hits, list(statements), list(took)))
            results[method.name] = samples
        _engine_report(results, adapter, args)
        if args.explain and adapter == "postgres":
            await _explain(database, results, args.explain_top)
    finally:
        if adapter == "opensearch":
            await index.close()
        await database.close()


def _engine_report(
    results: dict[str, list[Sample]], adapter: str, args: argparse.Namespace
) -> None:
    target = TARGET_P99_MS[adapter]
    print()
    print(
        f"{'method':<22} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  {'mean hits':>9}"
        f"  target p99 <= {target:g} ms"
    )
    print("-" * 96)
    for name, samples in results.items():
        ms = [s.ms for s in samples]
        p99 = percentile(ms, 0.99)
        extra = ""
        if adapter == "opensearch" and any(s.took_ms for s in samples):
            took = [float(sum(s.took_ms)) for s in samples]
            extra = (
                f"  (OpenSearch took: p50 {percentile(took, 0.5):.0f},"
                f" p99 {percentile(took, 0.99):.0f} ms)"
            )
        verdict = "met" if p99 <= target else "MISSED"
        print(
            f"{name:<22} {percentile(ms, 0.5):6.1f}ms {percentile(ms, 0.95):6.1f}ms {p99:6.1f}ms "
            f"{max(ms):6.1f}ms  {statistics.mean(s.hits for s in samples):9.1f}  {verdict}{extra}"
        )
    print()
    print("by kind of query (p50 / p99 ms, queries):")
    for name, samples in results.items():
        kinds: dict[str, list[Sample]] = defaultdict(list)
        for s in samples:
            kinds[s.query.kind].append(s)
        parts = [
            f"{k} {percentile([s.ms for s in v], 0.5):.1f}"
            f"/{percentile([s.ms for s in v], 0.99):.1f} ({len(v)})"
            for k, v in sorted(kinds.items())
        ]
        print(f"  {name:<20} " + "; ".join(parts))
    print()
    print(f"slowest {args.slowest} of each method:")
    for name, samples in results.items():
        worst = sorted(samples, key=lambda s: -s.ms)[: args.slowest]
        text = ", ".join(f"{s.ms:.0f} ms {s.query.describe()!r} ({s.hits} hits)" for s in worst)
        print(f"  {name:<20} {text}")


async def _explain(database: Any, results: dict[str, list[Sample]], top: int) -> None:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of the statements the slowest queries ran, planned both
    ways: with their values (a custom plan: a connection's first five executions of a prepared
    statement) and generic (``PREPARE``/``EXECUTE`` under ``force_generic_plan``: what a
    connection switches to after that, when the planner estimates it no dearer)."""
    print()
    print(
        f"EXPLAIN (ANALYZE, BUFFERS) of the slowest {top} query of each method,"
        " custom and generic plans:"
    )
    async with database.engine.connect() as conn:
        for name, samples in results.items():
            for s in sorted(samples, key=lambda s: -s.ms)[:top]:
                for statement, parameters in s.statements:
                    if not statement.lstrip().upper().startswith("SELECT"):
                        continue
                    print(f"--- {name} {s.query.describe()!r}: {s.ms:.1f} ms in the benchmark")
                    print("    " + " ".join(statement.split())[:400] + " …")
                    for mode in ("force_custom_plan", "force_generic_plan"):
                        await conn.exec_driver_sql(f"SET plan_cache_mode = {mode}")
                        await conn.exec_driver_sql(f"PREPARE bench_explain AS {statement}")
                        values = ", ".join(_literal(v) for v in parameters)
                        execute = (
                            f"EXECUTE bench_explain({values})"
                            if values
                            else "EXECUTE bench_explain"
                        )
                        rows = await conn.exec_driver_sql(
                            f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {execute}"
                        )
                        await conn.exec_driver_sql("DEALLOCATE bench_explain")
                        print(f"    [{mode.removeprefix('force_').replace('_', ' ')}]")
                        for (line,) in rows:
                            print("      " + line)
        await conn.exec_driver_sql("RESET plan_cache_mode")
        await conn.rollback()


def _literal(value: Any) -> str:
    """A bind value as SQL text for ``EXECUTE`` (the statement's own casts give the types)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, list | tuple):
        return "ARRAY[" + ", ".join(_literal(v) for v in value) + "]::text[]"
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text.replace("'", "''") + "'"


# ------------------------------------------------------------------------------ http


def _items(body: Any) -> int:
    return len(body.get("items", [])) if isinstance(body, dict) else 0


def sequential(
    args: argparse.Namespace, pools: dict[str, list[str]], tokens: list[str]
) -> list[str]:
    """Each endpoint ``--sequential`` times, one request at a time: latency without queueing."""
    out = [f"one request at a time (httpx, {args.sequential} requests each, tokens rotating):"]
    with httpx.Client(base_url=args.base_url, timeout=60) as client:
        for label, paths in pools.items():
            ms, items, failures, size = [], [], 0, 0
            for i in range(args.sequential):
                path = paths[-(i + 1)]  # the end of the pool: queries wrk repeats less
                headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"} if tokens else {}
                started = time.perf_counter()
                reply = client.get(path, headers=headers)
                ms.append((time.perf_counter() - started) * 1000)
                size += len(reply.content)
                if reply.status_code != 200:
                    failures += 1
                    if failures == 1:
                        out.append(f"  ! {reply.status_code} from {path}: {reply.text[:300]}")
                    continue
                body = reply.json()
                items.append(_items(body) if "items" in body else body.get("posts_count", 0))
            unit = "posts_count" if "count" in label else "items"
            out.append(
                f"  {label:<32} {summary(ms)}; mean {unit} {statistics.mean(items or [0]):.1f}; "
                f"{size / args.sequential / 1024:.1f} KiB; {failures} failed"
            )
    return out


def table(rows: list[tuple[Result, str]]) -> str:
    head = (
        f"{'endpoint':<32} {'requests':>9} {'RPS':>7} {'p50':>9} {'p95':>9} {'p99':>9} "
        f"{'max':>8} {'KiB/req':>7} {'errors':>6}  target"
    )
    out = [head, "-" * len(head)]
    for r, target in rows:
        out.append(
            f"{r.label:<32} {r.requests:>9,} {r.rps:>7,.0f} {r.p50_ms:>6.1f} ms "
            f"{r.p95_ms:>6.1f} ms {r.p99_ms:>6.1f} ms {r.max_ms:>5.0f} ms "
            f"{r.kib_per_request:>7.1f} {r.non2xx + r.socket_errors:>6,}  {target}"
        )
    return "\n".join(out)


def http(args: argparse.Namespace) -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    tokens_path = Path(args.tokens).resolve() if args.tokens else None
    tokens = [t for t in tokens_path.read_text().split() if t] if tokens_path else []
    queries = Queries(args.seed)
    endpoints = [e for e in ENDPOINTS if args.database_url or not e.usernames]
    if any(e.usernames for e in endpoints):
        drawn = asyncio.run(
            pick(args.database_url, {"usernames": USERNAMES_SQL}, args.pool, args.seed)
        )
        queries.usernames = drawn["usernames"]
    pools = {e.label: [e.draw(queries).path for _ in range(args.pool)] for e in endpoints}
    target = TARGET_P99_MS[args.adapter]
    print(
        f"== Search through the API ({args.adapter}; {wrk_version()},"
        f" {args.threads} threads, {args.connections} conns)"
    )
    print(f"server: {args.base_url} {args.label}".rstrip())
    print(
        f"queries: {args.pool:,} per endpoint, rotating; "
        + (f"{len(tokens):,} access tokens from {tokens_path}, rotating" if tokens else "anonymous")
    )
    if queries.usernames:
        print(
            f"profile grid: {len(queries.usernames):,} usernames of public active accounts with"
            f" posts, from {args.database_url.rsplit('@', 1)[-1]}"
        )
    for line in sequential(args, pools, tokens):
        print(line)
    if args.warmup > 0:
        print(f"warm-up: {args.warmup:g} s of each endpoint (not counted)")
        for label, paths in pools.items():
            run_rotating(args, label, paths, tokens, args.warmup)
    print(f"measuring: {args.duration:g} s of each endpoint, one after the other")
    rows: list[tuple[Result, str]] = []
    for endpoint in endpoints:
        result = run_rotating(args, endpoint.label, pools[endpoint.label], tokens, args.duration)
        errors = result.non2xx + result.socket_errors
        if endpoint.target:
            rps, p99 = endpoint.target
            met = verdict(result, rps, p99) + (f", {errors:,} errors" if errors else "")
            rows.append((result, f">= {rps:,} req/s, p99 <= {p99:g} ms: {met}"))
            continue
        met = "met" if result.p99_ms <= target and not errors else "MISSED"
        rows.append(
            (result, f"p99 <= {target:g} ms: {met}" if endpoint.searched else "(no target)")
        )
    report_beside_health(args, rows, width=32, render=table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("engine", "http"):
        p = sub.add_parser(name)
        p.add_argument("--adapter", choices=sorted(TARGET_P99_MS), required=True)
        p.add_argument("--seed", type=int, default=7, help="which queries are drawn")
    e = sub.choices["engine"]
    e.add_argument("--queries", type=int, default=200, help="measured calls per method")
    e.add_argument("--warmup", type=int, default=20, help="unmeasured calls per method first")
    e.add_argument("--slowest", type=int, default=3, help="slowest queries listed per method")
    e.add_argument("--explain", action="store_true", help="EXPLAIN the slowest (PostgreSQL)")
    e.add_argument("--explain-top", type=int, default=1)
    e.add_argument(
        "--plan-cache-mode",
        choices=("auto", "force_custom_plan", "force_generic_plan"),
        help="PostgreSQL: set on the connections (default: the server's, auto)",
    )
    h = sub.choices["http"]
    h.add_argument("--base-url", default="http://127.0.0.1:8011")
    h.add_argument(
        "--tokens",
        default="/tmp/social_search_bench/tokens.txt",  # noqa: S108 - a benchmark's scratch file
        help="'' for anonymous",
    )
    h.add_argument("--connections", type=int, default=16)
    h.add_argument("--threads", type=int, default=2)
    h.add_argument("--duration", type=float, default=20.0)
    h.add_argument("--warmup", type=float, default=3.0)
    h.add_argument("--timeout", type=int, default=30, help="wrk's socket timeout, seconds")
    h.add_argument("--pool", type=int, default=2000, help="distinct queries per endpoint")
    h.add_argument("--sequential", type=int, default=100)
    h.add_argument("--label", default="")
    h.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:54329/social_search_bench",
        help="where the profile grid's usernames are drawn (read only); '' leaves it out",
    )
    args = parser.parse_args()
    if args.command == "engine":
        asyncio.run(engine(args))
    else:
        http(args)


if __name__ == "__main__":
    main()
