"""Seed data for the home-feed benchmark (``benchmarks/feed_load.py``): users, a power-law follow
graph with a few accounts above the fan-out threshold, posts with ready media, interactions, and
signed-in sessions whose access tokens are written to a file.

    uv run python benchmarks/seed_feed_data.py \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:54329/social_bench \\
        --users 10000 --posts 200000 --seed 1 --recreate

    uv run python benchmarks/seed_feed_data.py --database-url ... --drop   # remove the database

The database is created when missing (``--recreate`` drops it first) and migrated with the app's
own migrations; rows then go in with asyncpg's binary ``COPY``, not the ORM. Rows are made as the
app makes them: emails encrypted with ``EmailCipher`` under the key ring the server derives from
``--secret`` (give the server the same value as ``SOCIAL_SECRET_KEY``), one argon2id hash made
with the app's hasher and shared by every account, captions parsed by the app's
``parse_caption``, post variants keyed as the media job keys them, every counter equal to the
rows it counts (checked at the end). Ids are UUIDv7 carrying the row's own ``created_at``, as
``new_id`` would have made them at that time.

The graph: each account follows 20 to 200 others (a truncated Pareto, mean about 42); the
``--large-accounts`` most popular ones are followed by a fixed share of everyone, from 2.5 down to
1.15 times ``--fan-out-threshold`` followers, and the rest are drawn from a Zipf-Mandelbrot law
(weight ``1 / (rank + 30)``), capped below the threshold. Run the server with
``SOCIAL_FAN_OUT_THRESHOLD`` equal to ``--fan-out-threshold``, so exactly those accounts are merged
into feeds at read time.

The first ``--sessions`` accounts get a session (with a live refresh token, so the hourly purge
keeps it) and an access token valid ``--token-ttl-s`` seconds, one per line in ``--tokens-out``.
Access tokens are verified by their own ``exp``: the server's ``SOCIAL_ACCESS_TOKEN_TTL_S`` only
matters for the tokens it mints itself.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import secrets
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

import asyncpg

from social.adapters.postgres import migrations
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.bootstrap import build_hasher, build_token_issuer
from social.domain.posts.model import PostLimits, parse_caption
from social.domain.shared.identity import Role
from social.settings import Settings

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:54329/social_bench"
DEFAULT_SECRET = "feed-benchmark-secret-0123456789-abcdefghij"  # noqa: S105 - a benchmark's
FILL_POST_TAGS = """
INSERT INTO post_tags (tag, created_at, post_id)
SELECT DISTINCT tag, p.created_at, p.id FROM posts p, unnest(p.tags) AS tag
ON CONFLICT DO NOTHING
"""
"""The tag index rows of every post (what the ``posts`` triggers write on a normal insert)."""
DEFAULT_PASSWORD = "bench-feed-password-42"  # noqa: S105 - printed on purpose
DEFAULT_TOKENS = "/tmp/social_bench/tokens.txt"  # noqa: S108 - outside the source tree
BATCH = 20_000
MIN_FOLLOWING, MAX_FOLLOWING, PARETO_ALPHA = 20, 200, 1.5
ZIPF_OFFSET = 30
DAY = timedelta(days=1)

# ------------------------------------------------------------------------------ progress bar


class Progress:
    """A one-line progress bar on stderr (``\\r`` redraws on a terminal; 10 % steps otherwise)."""

    def __init__(self, label: str, total: int, width: int = 30) -> None:
        self.label, self.total, self.width = label, max(total, 1), width
        self.done = 0
        self.started = time.perf_counter()
        self._tty = sys.stderr.isatty()
        self._last_step = -1
        self._draw()

    def advance(self, n: int) -> None:
        self.done += n
        self._draw()

    def close(self) -> None:
        self.done = max(self.done, self.total)
        self._draw(final=True)

    def _draw(self, *, final: bool = False) -> None:
        share = min(self.done / self.total, 1.0)
        step = int(share * 10)
        quiet = step == self._last_step or step in (0, 10)
        if not self._tty and not final and quiet:  # a log: a line per 10 % step, and the last
            return
        self._last_step = step
        filled = int(share * self.width)
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        line = (
            f"{self.label:<22} [{'#' * filled}{'.' * (self.width - filled)}] {share:6.1%} "
            f"{self.done:>10,}/{self.total:,}  {elapsed:6.1f} s  {rate:>9,.0f}/s"
        )
        end = "\n" if final or not self._tty else ""
        sys.stderr.write(("\r" if self._tty else "") + line + end)
        sys.stderr.flush()


# ------------------------------------------------------------------------------ ids and time


def uuid7_at(at: datetime, rng: random.Random) -> UUID:
    """A UUIDv7 whose timestamp is ``at`` (RFC 9562 layout, as ``new_id`` makes them)."""
    ms = int(at.timestamp() * 1000)
    value = (
        (ms & 0xFFFF_FFFF_FFFF) << 80
        | 0x7 << 76
        | rng.getrandbits(12) << 64
        | 0b10 << 62
        | rng.getrandbits(62)
    )
    return UUID(int=value)


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = max((end - start).total_seconds(), 0.0)
    return start + timedelta(seconds=rng.uniform(0, span))


# ------------------------------------------------------------------------------ vocabulary


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Ada Ben Chloe Dan Eva Finn Gia Hugo Iris Jon Kai Lea Milo Nina Omar Pia Quinn Rosa Sam Tara "
    "Uma Vic Wren Xav Yara Zoe Alex Noor Ines Luca"
)
LAST = _words(
    "Martin Silva Kim Novak Rossi Berg Costa Weber Dubois Jensen Moreau Tanaka Okafor Haddad "
    "Larsen Petrov Santos Fischer Nguyen Murphy"
)
WORDS = _words(
    "morning light coffee walk city sea mountain friends dinner weekend sunset road trip river "
    "market garden rain snow street music night book run bike train forest beach lake bread "
    "studio window autumn spring summer winter old new little big quiet golden blue green"
)
TAGS = _words(
    "travel food photography nature sunset coffee art music fitness fashion architecture "
    "streetphotography dogs cats books running cycling hiking beach mountains citylife "
    "foodie vegan design film summer winter friends family weekend love"
)
PLACES = (
    ("Lisbon", 38.7223, -9.1393),
    ("Paris", 48.8566, 2.3522),
    ("Berlin", 52.52, 13.405),
    ("Tokyo", 35.6762, 139.6503),
    ("New York", 40.7128, -74.006),
    ("Lagos", 6.5244, 3.3792),
    ("Buenos Aires", -34.6037, -58.3816),
    ("Cape Town", -33.9249, 18.4241),
    ("Sydney", -33.8688, 151.2093),
    ("Reykjavik", 64.1466, -21.9426),
    ("Istanbul", 41.0082, 28.9784),
    ("Mexico City", 19.4326, -99.1332),
)
BLURHASHES = (
    "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
    "LKO2?U%2Tw=w]~RBVZRi};RPxuwH",
    "L6PZfSi_.AyE_3t7t7R**0o#DgR4",
    "LGF5]+Yk^6#M@-5c,1J5@[or[Q6.",
    "L5H2EC=PM+yV0g-mq.wG9c010J}I",
)
ASPECTS = ((1080, 1080), (1080, 1350), (1080, 810), (1080, 608))
COMMENTS = (
    "love this",
    "wow",
    "so good!",
    "where is this?",
    "beautiful light",
    "need to go there",
    "great shot",
    "haha yes",
)

# ------------------------------------------------------------------------------ the data


@dataclass(slots=True)
class User:
    id: UUID
    username: str
    created_at: datetime
    is_private: bool = False
    avatar_id: UUID | None = None
    followers: list[int] = field(default_factory=list)
    following: int = 0
    posts: int = 0


@dataclass(slots=True)
class Post:
    id: UUID
    author: int
    created_at: datetime
    likes: int = 0
    comments: int = 0
    shares: int = 0


@dataclass
class Plan:
    """Everything that decides which rows exist; rows themselves are streamed into COPY."""

    now: datetime
    users: list[User]
    follows: list[tuple[int, int]]  # (follower, followee) user indexes
    large: list[int]
    posts: list[Post]


def plan(args: argparse.Namespace, rng: random.Random) -> Plan:
    now = datetime.now(UTC).replace(microsecond=0)
    n = args.users
    users = []
    for i in range(n):
        created = now - timedelta(days=rng.uniform(31, 400))
        users.append(User(id=uuid7_at(created, rng), username=f"bench{i:06d}", created_at=created))

    # Popularity: a random permutation, so popularity is independent of the index (and of who
    # holds a token). Ranks 0..L-1 are the large accounts.
    by_rank = rng.sample(range(n), n)
    large = by_rank[: args.large_accounts]
    rest = by_rank[args.large_accounts :]
    shares = [
        args.fan_out_threshold * (2.5 - 1.35 * i / max(args.large_accounts - 1, 1)) / n
        for i in range(args.large_accounts)
    ]
    if shares and max(shares) > 0.95:
        sys.exit("--fan-out-threshold is too high for this many users (large accounts impossible)")
    cum = list(
        _cumulative(1.0 / (r + 1 + args.large_accounts + ZIPF_OFFSET) for r in range(len(rest)))
    )
    cap = int(args.fan_out_threshold * 0.9)

    follows: list[tuple[int, int]] = []
    progress = Progress("plan: follow graph", n)
    for me in range(n):
        k = _out_degree(rng)
        chosen = {
            c for c, share in zip(large, shares, strict=True) if c != me and rng.random() < share
        }
        want = k
        while len(chosen) < want:
            for pos in rng.choices(range(len(rest)), cum_weights=cum, k=(want - len(chosen)) * 2):
                other = rest[pos]
                if other != me:
                    chosen.add(other)
                    if len(chosen) >= want:
                        break
        for other in chosen:
            follows.append((me, other))
        if me % 1000 == 999:
            progress.advance(1000)
    progress.close()

    # Keep every other account at most 90 % of the threshold: exactly the large ones are above.
    large_set = set(large)
    count: dict[int, int] = {}
    kept = []
    rng.shuffle(follows)
    for follower, followee in follows:
        c = count.get(followee, 0)
        if followee not in large_set and c >= cap:
            continue
        count[followee] = c + 1
        kept.append((follower, followee))
    kept.sort()
    for follower, followee in kept:
        users[followee].followers.append(follower)
        users[follower].following += 1

    for u in users:  # a few private accounts (never the large ones): followers see them anyway
        u.is_private = rng.random() < args.private_share
    for i in large:
        users[i].is_private = False
    for u in users:
        if rng.random() < args.avatar_share:
            u.avatar_id = uuid7_at(u.created_at + timedelta(minutes=5), rng)

    # Posts: the large accounts post a lot, the rest by a lognormal activity.
    per_large = min(args.posts // 100, 400) if args.large_accounts else 0
    authors: list[int] = [i for i in large for _ in range(per_large)]
    weights = [0.0 if i in large_set else rng.lognormvariate(0, 1.1) for i in range(n)]
    authors += rng.choices(range(n), weights=weights, k=args.posts - len(authors))
    posts = []
    progress = Progress("plan: posts", len(authors))
    for j, author in enumerate(authors):
        at = now - timedelta(seconds=rng.uniform(0, 30 * 86400))
        posts.append(Post(id=uuid7_at(at, rng), author=author, created_at=at))
        users[author].posts += 1
        if j % BATCH == BATCH - 1:
            progress.advance(BATCH)
    progress.close()
    return Plan(now=now, users=users, follows=kept, large=large, posts=posts)


def _out_degree(rng: random.Random) -> int:
    """Truncated Pareto on [20, 200] (resampled, not clipped, so no pile-up at 200)."""
    while True:
        k = int(MIN_FOLLOWING * (1.0 - rng.random()) ** (-1.0 / PARETO_ALPHA))
        if k <= MAX_FOLLOWING:
            return k


def _cumulative(values: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


# ------------------------------------------------------------------------------ rows


def user_rows(
    p: Plan, cipher: EmailCipher, password_hash: str, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    for u in p.users:
        email = f"{u.username}@bench.example.com"
        ciphertext, key_id = cipher.encrypt(email, context=u.id.bytes)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        bio = " ".join(rng.choices(WORDS, k=rng.randint(0, 8)))
        website = f"https://{u.username}.example.com" if rng.random() < 0.2 else None
        yield (
            u.id,
            u.username,
            ciphertext,
            key_id,
            cipher.lookup_hash(email),
            password_hash,
            name,
            bio,
            website,
            u.is_private,
            "user",
            "active",
            u.avatar_id,
            u.posts,
            len(u.followers),
            u.following,
            u.created_at,
            u.created_at,
        )


USER_COLUMNS = [
    "id",
    "username",
    "email_ciphertext",
    "email_key_id",
    "email_hash",
    "password_hash",
    "display_name",
    "bio",
    "website",
    "is_private",
    "role",
    "status",
    "avatar_media_id",
    "posts_count",
    "followers_count",
    "following_count",
    "created_at",
    "updated_at",
]
MEDIA_COLUMNS = [
    "id",
    "owner_id",
    "kind",
    "purpose",
    "status",
    "created_at",
    "width",
    "height",
    "blurhash",
    "variants",
    "error",
    "alt_text",
    "duration_s",
    "original_key",
]
POST_COLUMNS = [
    "id",
    "author_id",
    "caption",
    "tags",
    "extra_tags",
    "mentions",
    "place_name",
    "latitude",
    "longitude",
    "comments_enabled",
    "likes_count",
    "comments_count",
    "shares_count",
    "created_at",
    "edited_at",
]
SEARCH_COLUMNS = [
    "id",
    "author_id",
    "caption",
    "tags",
    "created_at",
    "visibility",
    "place_name",
    "latitude",
    "longitude",
]


def avatar_rows(p: Plan, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for u in p.users:
        if u.avatar_id is None:
            continue
        prefix = f"avatars/{u.id}/{u.avatar_id}"
        variants = [
            {
                "name": name,
                "width": w,
                "height": w,
                "key": f"{prefix}/{name}.jpg",
                "content_type": "image/jpeg",
            }
            for name, w in (("small", 150), ("medium", 320), ("large", 640))
        ]
        yield (
            u.avatar_id,
            u.id,
            "image",
            "avatar",
            "ready",
            u.created_at + timedelta(minutes=5),
            640,
            640,
            rng.choice(BLURHASHES),
            json.dumps(variants),
            None,
            None,
            None,
            None,
        )


def interactions(p: Plan, rng: random.Random) -> tuple[list[tuple[Any, ...]], ...]:
    """Likes, shares, comments and bookmarks by the author's followers; counters kept on posts.
    Posts of private accounts are never shared (``SharePost`` refuses it)."""
    likes, shares, comments, bookmarks = [], [], [], []
    for post in p.posts:
        fans = p.users[post.author].followers
        if not fans:
            continue
        window_end = min(p.now, post.created_at + 3 * DAY)
        n_likes = min(len(fans), round(len(fans) * rng.uniform(0.0, 0.08)))
        for fan in rng.sample(fans, n_likes):
            at = between(rng, post.created_at, window_end)
            likes.append((uuid7_at(at, rng), post.id, p.users[fan].id, at))
        post.likes = n_likes
        if not p.users[post.author].is_private and rng.random() < 0.06:  # as SharePost rules
            for fan in rng.sample(fans, min(len(fans), rng.randint(1, 3))):
                at = between(rng, post.created_at, window_end)
                shares.append((uuid7_at(at, rng), post.id, p.users[fan].id, at))
                post.shares += 1
        n_comments = rng.choices((0, 1, 2, 3), weights=(55, 25, 12, 8))[0]
        for _ in range(n_comments):
            at = between(rng, post.created_at, window_end)
            author = p.users[rng.choice(fans)].id
            comments.append((uuid7_at(at, rng), post.id, author, None, rng.choice(COMMENTS), 0, at))
        post.comments = n_comments
        if rng.random() < 0.1:
            at = between(rng, post.created_at, window_end)
            bookmarks.append((uuid7_at(at, rng), post.id, p.users[rng.choice(fans)].id, at))
    return likes, shares, comments, bookmarks


def post_rows(
    p: Plan, rng: random.Random
) -> Iterator[
    tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]], tuple[Any, ...]]
]:
    """Per post: its row, its media rows, its post_media rows and its search document."""
    limits = PostLimits()
    for post in p.posts:
        author = p.users[post.author]
        words = " ".join(rng.choices(WORDS, k=rng.randint(3, 12))).capitalize()
        hashtags = " ".join(f"#{t}" for t in rng.sample(TAGS, rng.randint(1, 4)))
        mention = ""
        if author.followers and rng.random() < 0.15:
            mention = f" with @{p.users[rng.choice(author.followers)].username}"
        caption, tags, mentions = parse_caption(f"{words}{mention} {hashtags}", limits)
        place: tuple[str, float, float] | tuple[None, None, None] = (None, None, None)
        if rng.random() < 0.25:
            name, lat, lon = rng.choice(PLACES)
            place = (name, lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05))
        row = (
            post.id,
            author.id,
            caption,
            tags,
            [],
            mentions,
            *place,
            True,
            post.likes,
            post.comments,
            post.shares,
            post.created_at,
            None,
        )
        media, links = [], []
        for position in range(rng.choices((1, 2, 3), weights=(60, 25, 15))[0]):
            at = post.created_at - timedelta(seconds=30 - position)
            media_id = uuid7_at(at, rng)
            width, height = rng.choice(ASPECTS)
            prefix = f"media/{author.id}/{media_id}"
            variants = [
                {
                    "name": "thumb",
                    "width": 150,
                    "height": 150,
                    "key": f"{prefix}/thumb.jpg",
                    "content_type": "image/jpeg",
                },
                {
                    "name": "small",
                    "width": 640,
                    "height": round(height * 640 / width),
                    "key": f"{prefix}/small.jpg",
                    "content_type": "image/jpeg",
                },
                {
                    "name": "large",
                    "width": width,
                    "height": height,
                    "key": f"{prefix}/large.jpg",
                    "content_type": "image/jpeg",
                },
            ]
            alt = f"A photo of {rng.choice(WORDS)}" if rng.random() < 0.3 else None
            media.append(
                (
                    media_id,
                    author.id,
                    "image",
                    "post",
                    "ready",
                    at,
                    width,
                    height,
                    rng.choice(BLURHASHES),
                    json.dumps(variants),
                    None,
                    alt,
                    None,
                    None,
                )
            )
            links.append((uuid7_at(at, rng), post.id, media_id, position))
        visibility = "followers" if author.is_private else "public"
        document = (post.id, author.id, caption, tags, post.created_at, visibility, *place)
        yield row, media, links, document


# ------------------------------------------------------------------------------ database


def plain_dsn(url: str) -> str:
    """``postgresql+asyncpg://…`` → ``postgresql://…`` for asyncpg itself."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+")[0]))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def prepare_database(url: str, *, recreate: bool, drop_only: bool) -> None:
    name = database_name(url)
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"refusing to seed the database {name!r}: name a dedicated one (social_bench)")
    admin = await asyncpg.connect(plain_dsn(urlunsplit(urlsplit(url)._replace(path="/postgres"))))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and (recreate or drop_only):
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            print(f"dropped database {name}")
            exists = False
        if drop_only:
            return
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    finally:
        await admin.close()


async def copy(
    conn: asyncpg.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    total: int,
    label: str | None = None,
) -> int:
    progress = Progress(label or table, total)
    written = 0
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            await conn.copy_records_to_table(table, records=batch, columns=list(columns))
            written += len(batch)
            progress.advance(len(batch))
            batch = []
    if batch:
        await conn.copy_records_to_table(table, records=batch, columns=list(columns))
        written += len(batch)
        progress.advance(len(batch))
    progress.close()
    return written


async def seed(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    await prepare_database(args.database_url, recreate=args.recreate, drop_only=args.drop)
    if args.drop:
        return
    print("migrating …")
    await asyncio.to_thread(migrations.upgrade, args.database_url)

    conn = await asyncpg.connect(plain_dsn(args.database_url))
    try:
        if await conn.fetchval("SELECT count(*) FROM users"):
            sys.exit("the database already has users: pass --recreate to start from scratch")

        settings = Settings.from_env(
            secret_key=args.secret, access_token_ttl_s=args.token_ttl_s, database_url=""
        )
        keys = KeyRing.from_settings(settings)
        cipher = EmailCipher(keys)
        hasher = build_hasher(settings)
        password_hash = await hasher.hash(args.password)
        hasher.close()

        rng = random.Random(args.seed)
        p = plan(args, rng)
        likes, shares, comments, bookmarks = interactions(p, rng)

        # Users and their avatars refer to each other: load with FK triggers off (superuser),
        # in one transaction; the checks at the end prove the references hold.
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await copy(
                conn, "users", USER_COLUMNS, user_rows(p, cipher, password_hash, rng), len(p.users)
            )
            avatars = sum(1 for u in p.users if u.avatar_id)
            await copy(
                conn, "media", MEDIA_COLUMNS, avatar_rows(p, rng), avatars, "media (avatars)"
            )
            await copy(
                conn,
                "follows",
                ["id", "follower_id", "followee_id", "created_at"],
                _follow_rows(p, rng),
                len(p.follows),
            )
            await _copy_posts(conn, p, rng)
            # triggers are off: index the posts' tags as migration 0013's triggers would
            await conn.execute(FILL_POST_TAGS)
            await copy(conn, "likes", ["id", "post_id", "user_id", "created_at"], likes, len(likes))
            await copy(
                conn, "shares", ["id", "post_id", "user_id", "created_at"], shares, len(shares)
            )
            await copy(
                conn,
                "comments",
                ["id", "post_id", "author_id", "parent_id", "text", "replies_count", "created_at"],
                comments,
                len(comments),
            )
            await copy(
                conn,
                "bookmarks",
                ["id", "post_id", "user_id", "created_at"],
                bookmarks,
                len(bookmarks),
            )
            tokens = await _sessions(conn, p, settings, keys, args, rng)

        print("VACUUM ANALYZE …")
        await conn.execute("VACUUM ANALYZE")
        await _check(conn)
        _report(p, args, tokens, len(likes), len(shares), len(comments), len(bookmarks))
    finally:
        await conn.close()
    print(f"seeded in {time.perf_counter() - started:.1f} s")


def _follow_rows(p: Plan, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for follower, followee in p.follows:
        a, b = p.users[follower], p.users[followee]
        at = between(rng, max(a.created_at, b.created_at), p.now - 31 * DAY)
        yield (uuid7_at(at, rng), a.id, b.id, at)


async def _copy_posts(conn: asyncpg.Connection, p: Plan, rng: random.Random) -> None:
    """Posts, their media, links and search documents, made in one pass and copied in batches."""
    progress = Progress("posts + media", len(p.posts))
    posts: list[tuple[Any, ...]] = []
    media: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    documents: list[tuple[Any, ...]] = []
    counts = [0, 0]

    async def flush() -> None:
        await conn.copy_records_to_table("posts", records=posts, columns=POST_COLUMNS)
        await conn.copy_records_to_table("media", records=media, columns=MEDIA_COLUMNS)
        await conn.copy_records_to_table(
            "post_media", records=links, columns=["id", "post_id", "media_id", "position"]
        )
        await conn.copy_records_to_table(
            "search_post_documents", records=documents, columns=SEARCH_COLUMNS
        )
        counts[0] += len(media)
        counts[1] += len(links)
        progress.advance(len(posts))
        for rows in (posts, media, links, documents):
            rows.clear()

    for row, media_rows, link_rows, document in post_rows(p, rng):
        posts.append(row)
        media.extend(media_rows)
        links.extend(link_rows)
        documents.append(document)
        if len(posts) >= BATCH // 2:
            await flush()
    if posts:
        await flush()
    progress.close()
    print(
        f"  {counts[0]:,} post media, {counts[1]:,} post_media links, "
        f"{len(p.posts):,} search documents"
    )


async def _sessions(
    conn: asyncpg.Connection,
    p: Plan,
    settings: Settings,
    keys: KeyRing,
    args: argparse.Namespace,
    rng: random.Random,
) -> int:
    """A session, a live refresh token and an access token for each of the first accounts."""
    issuer = build_token_issuer(settings, keys)
    now = datetime.now(UTC)
    sessions, refresh, tokens = [], [], []
    for u in p.users[: args.sessions]:
        session_id = uuid7_at(now, rng)
        sessions.append((session_id, u.id, now, None, None))
        digest = hashlib.sha256(secrets.token_urlsafe(32).encode()).digest()
        refresh.append(
            (
                uuid7_at(now, rng),
                session_id,
                digest,
                now,
                now + timedelta(seconds=settings.accounts.refresh_token_ttl_s),
                None,
            )
        )
        token, _ = issuer.issue_access_token(
            user_id=u.id, role=Role.USER, session_id=session_id, now=now
        )
        tokens.append(token)
    await copy(
        conn,
        "auth_sessions",
        ["id", "user_id", "created_at", "revoked_at", "revoke_reason"],
        sessions,
        len(sessions),
    )
    await copy(
        conn,
        "refresh_tokens",
        ["id", "session_id", "token_hash", "created_at", "expires_at", "used_at"],
        refresh,
        len(refresh),
    )
    await asyncio.to_thread(_write_tokens, Path(args.tokens_out), tokens)
    return len(tokens)


def _write_tokens(path: Path, tokens: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{t}\n" for t in tokens))


CHECKS = {
    "users.followers_count": "SELECT count(*) FROM users u WHERE followers_count <> "
    "(SELECT count(*) FROM follows f WHERE f.followee_id = u.id)",
    "users.following_count": "SELECT count(*) FROM users u WHERE following_count <> "
    "(SELECT count(*) FROM follows f WHERE f.follower_id = u.id)",
    "users.posts_count": "SELECT count(*) FROM users u WHERE posts_count <> "
    "(SELECT count(*) FROM posts p WHERE p.author_id = u.id)",
    "posts.likes_count": "SELECT count(*) FROM posts p LEFT JOIN (SELECT post_id, count(*) n "
    "FROM likes GROUP BY post_id) l ON l.post_id = p.id WHERE p.likes_count <> coalesce(l.n, 0)",
    "posts.shares_count": "SELECT count(*) FROM posts p LEFT JOIN (SELECT post_id, count(*) n "
    "FROM shares GROUP BY post_id) s ON s.post_id = p.id WHERE p.shares_count <> coalesce(s.n, 0)",
    "posts.comments_count": "SELECT count(*) FROM posts p LEFT JOIN (SELECT post_id, count(*) n "
    "FROM comments GROUP BY post_id) c ON c.post_id = p.id "
    "WHERE p.comments_count <> coalesce(c.n, 0)",
    "avatar references": "SELECT count(*) FROM users u WHERE avatar_media_id IS NOT NULL AND NOT "
    "EXISTS (SELECT 1 FROM media m WHERE m.id = u.avatar_media_id AND m.owner_id = u.id)",
    "post_media references": "SELECT count(*) FROM post_media pm "
    "WHERE NOT EXISTS (SELECT 1 FROM media m WHERE m.id = pm.media_id) "
    "OR NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = pm.post_id)",
    "posts without media": "SELECT count(*) FROM posts p WHERE NOT EXISTS "
    "(SELECT 1 FROM post_media pm WHERE pm.post_id = p.id)",
}


async def _check(conn: asyncpg.Connection) -> None:
    bad = {name: await conn.fetchval(sql) for name, sql in CHECKS.items()}
    wrong = {name: n for name, n in bad.items() if n}
    if wrong:
        sys.exit(f"seed check failed (rows that disagree): {wrong}")
    print(f"checks: {len(CHECKS)} passed (counters match their rows, references hold)")


def _report(
    p: Plan,
    args: argparse.Namespace,
    tokens: int,
    likes: int,
    shares: int,
    comments: int,
    bookmarks: int,
) -> None:
    followers = sorted((len(u.followers) for u in p.users), reverse=True)
    following = [u.following for u in p.users]
    above = [f for f in followers if f > args.fan_out_threshold]
    print(
        f"users {len(p.users):,}; follows {len(p.follows):,} (following per user: min "
        f"{min(following)}, median {sorted(following)[len(following) // 2]}, mean "
        f"{sum(following) / len(following):.1f}, max {max(following)})"
    )
    print(
        f"followers: top 10 {followers[:10]}; median {followers[len(followers) // 2]}; "
        f"accounts above the fan-out threshold {args.fan_out_threshold:,}: {len(above)}"
    )
    print(
        f"posts {len(p.posts):,} over 30 days; likes {likes:,}, shares {shares:,}, comments "
        f"{comments:,}, bookmarks {bookmarks:,}"
    )
    print(f"sessions {tokens:,}: access tokens in {args.tokens_out} (valid {args.token_ttl_s:,} s)")
    print(f"password of every account: {args.password}")
    print(
        "serve with: SOCIAL_SECRET_KEY=<--secret> "
        f"SOCIAL_FAN_OUT_THRESHOLD={args.fan_out_threshold} (see docs/benchmarks.md)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--secret", default=DEFAULT_SECRET, help="the server's SOCIAL_SECRET_KEY")
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--fan-out-threshold", type=int, default=2000)
    parser.add_argument("--large-accounts", type=int, default=5)
    parser.add_argument("--private-share", type=float, default=0.05)
    parser.add_argument("--avatar-share", type=float, default=0.7)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--token-ttl-s", type=int, default=6 * 3600)
    parser.add_argument("--tokens-out", default=DEFAULT_TOKENS)
    parser.add_argument("--recreate", action="store_true", help="drop the database first")
    parser.add_argument("--drop", action="store_true", help="only drop the database")
    args = parser.parse_args()
    if len(args.secret.encode()) < 32:
        parser.error("--secret must be at least 32 bytes")
    if args.sessions > args.users:
        parser.error("--sessions cannot exceed --users")
    asyncio.run(seed(args))


if __name__ == "__main__":
    main()
