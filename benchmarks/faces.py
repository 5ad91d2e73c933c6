"""Benchmark of the faces engine and the face vector search (issue 18).

    uv run python benchmarks/faces.py                       # embedded PostgreSQL (bundles pgvector)
    uv run python benchmarks/faces.py --database-url URL    # an admin URL of another server

1. Embedding: in a child process that imports the application as a worker does, the dlib engine
   finds and embeds the faces of test photos (the public-domain portraits of
   ``tests/data/faces`` and a two-person collage of them, from ``tests/faces_set.py``) on one
   thread, so faces per second are faces per second per core; the child's peak RSS is the job's.
2. Search: a fresh database migrated to head gets N faces in ONE event (the worst case: a
   search scans its event), one per photo (each with its media item and ``event_photos`` row,
   which the faces' foreign key needs), as random normalized 128-d vectors (real embeddings
   are not needed for timing; 20 near copies of the query make a page of matches), then each
   available adapter (``exact``: core SQL; ``pgvector``: when the extension is enabled) answers
   the first page (30) 20 times; median and p95 are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
DIMENSION = 128
PAGE = 30
RUNS = 20


def _embed_child(rounds: int, queue: multiprocessing.Queue[tuple[int, float, int, int]]) -> None:
    sys.path.insert(0, str(ROOT))
    import social.bootstrap.open  # noqa: F401 - a worker's code is in memory first
    from social.adapters.faces.dlib_engine import find_faces
    from tests.faces_set import DATA, collage, encoded, portrait

    photos = [
        encoded(portrait("collins")),
        (DATA / "grace_hopper.jpg").read_bytes(),
        collage("collins", "hopper"),
    ]
    find_faces(photos[0], max_side=1080, upsample=1, max_pixels=50_000_000)  # load the models
    faces, started = 0, time.perf_counter()
    for _ in range(rounds):
        for photo in photos:
            faces += len(find_faces(photo, max_side=1080, upsample=1, max_pixels=50_000_000))
    seconds = time.perf_counter() - started
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((faces, seconds, rss_kb, rounds * len(photos)))


def embedding(rounds: int) -> None:
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[tuple[int, float, int, int]] = context.Queue()
    child = context.Process(target=_embed_child, args=(rounds, queue))
    child.start()
    faces, seconds, rss_kb, photos = queue.get()
    child.join()
    print("== Face embedding (dlib HOG detector + ResNet descriptor, one thread)")
    print(f"photos: {photos} ({rounds} rounds of 2 portraits and a 1000x500 two-person collage)")
    print(f"faces: {faces} in {seconds:.2f} s: {faces / seconds:.2f} faces/s per core,")
    print(
        f"  {seconds / photos * 1000:.0f} ms per photo; peak RSS of the job {rss_kb / 1024:.0f} MB"
    )


def unit(rng: random.Random) -> list[float]:
    vector = [rng.gauss(0, 1) for _ in range(DIMENSION)]
    norm = math.hypot(*vector)
    return [value / norm for value in vector]


async def _photos(connection: asyncpg.Connection, event: uuid.UUID, media: list[uuid.UUID]) -> None:
    """The event and its photos the faces belong to (the foreign key of migration 0026): one
    organiser, one event, a media item and an ``event_photos`` row per photo, copied in bulk."""
    owner, now = uuid.uuid4(), datetime.now(UTC)
    await connection.execute(
        "INSERT INTO users (id, username, email_ciphertext, email_key_id, email_hash,"
        " password_hash, created_at, updated_at)"
        " VALUES ($1, 'organiser', $2, 'k1', $3, 'h', $4, $4)",
        owner,
        secrets.token_bytes(16),
        secrets.token_bytes(32),
        now,
    )
    await connection.execute(
        "INSERT INTO events (id, owner_id, title, event_date, visibility, created_at, updated_at)"
        " VALUES ($1, $2, 'Wisuda', $3, 'unlisted', $4, $4)",
        event,
        owner,
        now.date(),
        now,
    )
    await connection.copy_records_to_table(
        "media",
        records=[(m, owner, "image", "post", "ready", now) for m in media],
        columns=["id", "owner_id", "kind", "purpose", "status", "created_at"],
    )
    await connection.copy_records_to_table(
        "event_photos",
        records=[(m, event, n + 1, now) for n, m in enumerate(media)],
        columns=["media_id", "event_id", "position", "added_at"],
    )


async def _fill(dsn: str, event: uuid.UUID, count: int, query: list[float]) -> None:
    rng = random.Random(count)
    connection = await asyncpg.connect(dsn)
    try:
        media = [uuid.uuid4() for _ in range(count)]
        await _photos(connection, event, media)
        rows = []
        for n, media_id in enumerate(media):
            # the first 20: near copies of the query, a page of matches
            vector = [q + rng.gauss(0, 0.02) for q in query] if n < 20 else unit(rng)
            rows.append((uuid.uuid4(), media_id, event, 0, 0, 50, 50, vector, None))
        await connection.copy_records_to_table(
            "face_embeddings",
            records=rows,
            columns=[
                "id",
                "media_id",
                "event_id",
                "box_left",
                "box_top",
                "box_right",
                "box_bottom",
                "embedding",
                "sa_orm_sentinel",
            ],
        )
        await connection.execute("ANALYZE media; ANALYZE event_photos; ANALYZE face_embeddings")
    finally:
        await connection.close()


async def search(server_url: str, sizes: list[int]) -> None:
    from sqlalchemy import make_url, text
    from sqlalchemy.ext.asyncio import create_async_engine

    from social.adapters.faces.postgres_index import PostgresFaceIndex, has_pgvector
    from social.adapters.postgres import migrations
    from social.adapters.postgres.database import Database

    print("== Face search (one event; random normalized 128-d vectors; first page of 30)")
    for size in sizes:
        name = f"social_face_bench_{secrets.token_hex(4)}"
        admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        try:
            await asyncio.to_thread(migrations.upgrade, url)
            rng = random.Random(7)
            query, event = unit(rng), uuid.uuid4()
            dsn = url.replace("postgresql+asyncpg://", "postgresql://")
            started = time.perf_counter()
            await _fill(dsn, event, size, query)
            filled = time.perf_counter() - started
            database = Database.connect(url, pool_size=2, pool_timeout_s=10)
            adapters = ["exact"] + (["pgvector"] if await has_pgvector(database.engine) else [])
            for distance in adapters:
                index = PostgresFaceIndex(database.sessions, distance=distance)  # type: ignore[arg-type]
                timings, found = [], 0
                for _ in range(RUNS + 1):
                    started = time.perf_counter()
                    page = await index.search(
                        query, event_ids=[event], max_distance=0.55, limit=PAGE
                    )
                    timings.append(time.perf_counter() - started)
                    found = len(page)
                timings = sorted(timings[1:])  # the first warms the caches
                p95 = timings[math.ceil(0.95 * len(timings)) - 1]
                median = statistics.median(timings) * 1000
                print(
                    f"{size:>7,} faces  {distance:<8} median {median:7.1f} ms"
                    f"  p95 {p95 * 1000:7.1f} ms  ({found} matches; loaded in {filled:.1f} s)"
                )
            await database.close()
        finally:
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="an admin URL (default: an embedded server)")
    parser.add_argument("--rounds", type=int, default=10, help="embedding rounds (3 photos each)")
    parser.add_argument("--sizes", default="1000,100000", help="faces per event to search")
    args = parser.parse_args()
    embedding(args.rounds)
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.database_url:
        asyncio.run(search(args.database_url, sizes))
        return
    from social.adapters.postgres.embedded import EmbeddedPostgres

    with tempfile.TemporaryDirectory(prefix="social-face-bench-") as data_dir:
        server = EmbeddedPostgres(Path(data_dir))
        url = server.start()
        try:
            asyncio.run(search(url, sizes))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
