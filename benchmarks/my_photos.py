"""``GET /events/{id}/my-photos`` (EVT-2, issue 18) on an event of 1,000 photos, through HTTP:
one request at a time (its latency: the target is well under a second) and wrk at 64
connections, beside ``/health/live`` in the same run.

    uv run python benchmarks/my_photos.py             # the whole run, one command

It stands on the suggestions benchmark's database (``social_bench_suggest``: the home-feed seed,
10,000 users, 2,000 signed-in accounts; made the first time, ``--reseed`` again) migrated to
this checkout's head, and adds one public event of ``--photos`` processed photos with
``--people`` people in them: each person appears in ``--appearances`` random photos (their
face a small random step from their own point of the embedding space, as one person's photos
are), and every photo has a stranger's face too. The first ``--people`` signed-in accounts are
those people: each has a face reference (consented), so each search finds their photos among
the event's faces. Face rows are synthetic (timing needs no real faces: the engine's own speed
is benchmarks/faces.py's); the search is whatever ``SOCIAL_FACE_INDEX=auto`` picks on the
server (pgvector where the extension is there, else exact).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import asyncpg
import httpx
import jwt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_stack import prepare_database, server_env, serving
from app_timeline_load import Row, measure, page_of, table
from feed_load import wrk_version
from seed_feed_data import plain_dsn

from social.domain.shared.ids import new_id

TITLE = "bench: find my photos"
HEALTH = "/health/live"
TARGET_SINGLE_P99_MS = 1000.0  # "well under a second" for an event of 1,000 photos
DIMENSION = 128


def unit(rng: random.Random) -> list[float]:
    values = [rng.gauss(0, 1) for _ in range(DIMENSION)]
    norm = sum(v * v for v in values) ** 0.5
    return [v / norm for v in values]


def near(center: list[float], rng: random.Random, spread: float) -> list[float]:
    """A point ``spread`` away from ``center`` in a random direction (one person, another photo)."""
    step = unit(rng)
    return [c + spread * s for c, s in zip(center, step, strict=True)]


def variants(owner: UUID, media: UUID) -> str:
    sizes = {"thumb": (320, 240), "small": (640, 480), "large": (1080, 810)}
    return json.dumps(
        [
            {
                "key": f"posts/{owner}/{media}/{name}.jpg",
                "name": name,
                "width": w,
                "height": h,
                "content_type": "image/jpeg",
            }
            for name, (w, h) in sizes.items()
        ]
    )


async def seed(args: argparse.Namespace, people: list[UUID]) -> UUID:
    """The event, its photos and faces, and the people's references; made anew each run."""
    rng = random.Random(18)
    now = datetime.now(UTC)
    connection = await asyncpg.connect(plain_dsn(args.database_url))
    try:
        async with connection.transaction():
            old = await connection.fetch("SELECT id FROM events WHERE title = $1", TITLE)
            for (event_id,) in old:
                media = await connection.fetch(
                    "SELECT media_id FROM event_photos WHERE event_id = $1", event_id
                )
                await connection.execute(
                    "DELETE FROM face_embeddings WHERE event_id = $1", event_id
                )
                await connection.execute("DELETE FROM events WHERE id = $1", event_id)
                await connection.execute(
                    "DELETE FROM media WHERE id = ANY($1::uuid[])", [m for (m,) in media]
                )
            owner = people[0]
            event = new_id()
            await connection.execute(
                "INSERT INTO events (id, owner_id, title, event_date, visibility, created_at,"
                " updated_at) VALUES ($1, $2, $3, $4, 'public', $5, $5)",
                event, owner, TITLE, now.date(), now,
            )  # fmt: skip
            photos = [new_id() for _ in range(args.photos)]
            await connection.executemany(
                "INSERT INTO media (id, owner_id, kind, purpose, status, created_at, width,"
                " height, blurhash, variants, size_bytes) VALUES ($1, $2, 'image', 'post',"
                " 'ready', $3, 2160, 1620, 'L5H2EC=PM+yV0g-mq.wG9c010J}I', $4::jsonb, 400000)",
                [(m, owner, now, variants(owner, m)) for m in photos],
            )
            await connection.executemany(
                "INSERT INTO event_photos (media_id, event_id, position, added_at)"
                " VALUES ($1, $2, $3, $4)",
                [(m, event, n + 1, now) for n, m in enumerate(photos)],
            )
            centers = {person: unit(rng) for person in people}
            faces = [(m, unit(rng)) for m in photos]  # a stranger in every photo
            for person in people:
                for m in rng.sample(photos, args.appearances):
                    faces.append((m, near(centers[person], rng, args.spread)))
            await connection.executemany(
                "INSERT INTO face_embeddings (id, media_id, event_id, box_left, box_top,"
                " box_right, box_bottom, embedding) VALUES ($1, $2, $3, 10, 10, 110, 110, $4)",
                [(new_id(), m, event, e) for m, e in faces],
            )
            await connection.executemany(
                "INSERT INTO face_references (user_id, embedding, consented_at) VALUES ($1, $2,"
                " $3) ON CONFLICT (user_id) DO UPDATE SET embedding = EXCLUDED.embedding,"
                " consented_at = EXCLUDED.consented_at",
                [(person, centers[person], now) for person in people],
            )
        print(
            f"seeded: event {event}, {len(photos):,} photos, {len(faces):,} faces, "
            f"{len(people)} people with a reference, each in {args.appearances} photos"
        )
        return event
    finally:
        await connection.close()


def subject(token: str) -> UUID:
    claims = jwt.decode(token, options={"verify_signature": False})
    return UUID(str(claims["sub"]))


def one_at_a_time(base_url: str, path: str, tokens: list[str], count: int) -> list[float]:
    """Latency of ``count`` requests made one after another (each person's own search)."""
    times = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for n in range(count):
            token = tokens[n % len(tokens)]
            started = time.perf_counter()
            reply = client.get(path, headers={"Authorization": f"Bearer {token}"})
            times.append((time.perf_counter() - started) * 1000)
            if reply.status_code != 200:
                sys.exit(f"{path}: {reply.status_code} {reply.text[:300]}")
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgresql+asyncpg://postgres@127.0.0.1:54329/social_bench_suggest",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/9")
    parser.add_argument("--tokens", default="/tmp/social_bench_suggest/tokens.txt")  # noqa: S108
    parser.add_argument("--reseed", action="store_true", help="seed the base database again")
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--appearances", type=int, default=10, help="photos each person is in")
    parser.add_argument("--spread", type=float, default=0.3, help="one person's faces apart")
    parser.add_argument("--single", type=int, default=300, help="requests one at a time")
    parser.add_argument("--port", type=int, default=8038)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=30, help="wrk's socket timeout, seconds")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output too")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    tokens_path = Path(args.tokens)
    prepare_database(args.database_url, tokens_path, reseed=args.reseed)
    tokens = [t for t in tokens_path.read_text().split() if t][: args.people]
    event = asyncio.run(seed(args, [subject(t) for t in tokens]))
    path = f"/api/v1/events/{event}/my-photos?limit=20"
    readers = tokens_path.parent / "my_photos_readers.txt"
    readers.write_text("".join(f"{token}\n" for token in tokens))
    env = server_env(args.database_url, args.redis_url, tokens_path.parent / "data")
    rows: list[Row] = []
    with serving(env, args.port, args.workers, tokens_path.parent / "serve.log") as server:
        args.server, args.base_url = server, server.url
        items, kib = page_of(server.url, path, tokens[0])
        print(f"check: GET {path}: {items} items, {kib:.1f} KiB ({wrk_version()})")
        single = one_at_a_time(server.url, path, tokens, args.single)
        for n in range(1, args.rounds + 1):
            runs = [(f"GET my-photos #{n}", path, readers), (f"GET {HEALTH} #{n}", HEALTH, None)]
            for label, target, token_file in runs if n % 2 else runs[::-1]:
                rows.append(measure(args, label, target, token_file))
    print()
    print(table(rows))
    print()
    p50, p99 = percentile(single, 0.5), percentile(single, 0.99)
    verdict = "met" if p99 <= TARGET_SINGLE_P99_MS else "MISSED"
    print(
        f"one at a time ({len(single)} searches): p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(single):.1f} ms; target p99 < {TARGET_SINGLE_P99_MS:.0f} ms: {verdict}"
    )
    searched = [r.result for r in rows if r.result.label.startswith("GET my-photos")]
    health = [r.result for r in rows if r.result.label.startswith(f"GET {HEALTH}")]
    rps = statistics.mean(r.rps for r in searched)
    health_rps = statistics.mean(r.rps for r in health)
    print(
        f"at {args.connections} connections: my-photos {rps:,.0f} req/s (worst p99 "
        f"{max(r.p99_ms for r in searched):.1f} ms) beside /health/live {health_rps:,.0f} req/s"
    )


if __name__ == "__main__":
    main()
