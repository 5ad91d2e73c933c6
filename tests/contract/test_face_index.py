"""The ``FaceIndex`` contract, run on the in-memory fake, the exact PostgreSQL adapter (core
SQL: the test database) and the pgvector one: on the test database when its server has the
``vector`` extension, else on an embedded server of its own (the ``pgserver`` wheel bundles
pgvector; Debian 12, the services' PostgreSQL, packages none), so both adapters pass the same
suite wherever the tests run."""

from __future__ import annotations

import asyncio
import math
import random
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import text

from social.adapters.faces.postgres_index import PostgresFaceIndex, has_pgvector
from social.adapters.postgres import migrations
from social.adapters.postgres.database import Database
from social.domain.faces.model import EMBEDDING_SIZE, DetectedFace, FaceBox, FaceMatch
from social.domain.faces.ports import FaceIndex
from social.domain.shared.ids import new_id
from tests.fakes.faces import InMemoryFaceIndex

THRESHOLD = 0.6


@pytest.fixture
def memory_faces() -> FaceIndex:
    return InMemoryFaceIndex()


@pytest.fixture
def exact_faces(database: Database) -> FaceIndex:
    return PostgresFaceIndex(database.sessions, distance="exact")


@pytest.fixture(scope="session")
async def pgvector_database_url(database_url: str) -> AsyncIterator[str]:
    """The test database where its server has pgvector, else an embedded server's, migrated."""
    probe = Database.connect(database_url, pool_size=1, pool_timeout_s=10)
    try:
        enabled = await has_pgvector(probe.engine)
    finally:
        await probe.close()
    if enabled:
        yield database_url
        return
    from social.adapters.postgres.embedded import EmbeddedPostgres

    with tempfile.TemporaryDirectory(prefix="social-test-pgvector-") as data_dir:
        server = EmbeddedPostgres(Path(data_dir))
        url = await asyncio.to_thread(server.start)
        try:
            await asyncio.to_thread(migrations.upgrade, url)
            yield url
        finally:
            await asyncio.to_thread(server.stop)


@pytest.fixture
async def pgvector_faces(pgvector_database_url: str) -> AsyncIterator[FaceIndex]:
    database = Database.connect(pgvector_database_url, pool_size=2, pool_timeout_s=10)
    try:
        assert await has_pgvector(database.engine), "migration 0025 enables pgvector"
        yield PostgresFaceIndex(database.sessions, distance="pgvector")
    finally:
        async with database.engine.begin() as connection:
            await connection.execute(text("TRUNCATE face_embeddings"))
        await database.close()


@pytest.fixture(params=["memory", "exact", "pgvector"])
def index(request: pytest.FixtureRequest) -> FaceIndex:
    adapter: FaceIndex = request.getfixturevalue(f"{request.param}_faces")
    return adapter


def unit(seed: int) -> tuple[float, ...]:
    """A random direction of the embedding space, scaled to length 1 like dlib's."""
    rng = random.Random(seed)
    vector = [rng.gauss(0, 1) for _ in range(EMBEDDING_SIZE)]
    norm = math.hypot(*vector)
    return tuple(value / norm for value in vector)


def at(origin: tuple[float, ...], distance: float, seed: int) -> tuple[float, ...]:
    """A point exactly ``distance`` from ``origin``."""
    step = unit(seed)
    return tuple(o + distance * s for o, s in zip(origin, step, strict=True))


def face(embedding: tuple[float, ...], left: int = 0) -> DetectedFace:
    return DetectedFace(FaceBox(left, 10, left + 50, 60), embedding)


ME = unit(1)


async def test_nearest_first_within_the_threshold(index: FaceIndex) -> None:
    event = new_id()
    near, nearer, far = new_id(), new_id(), new_id()
    await index.replace_photo(near, event, [face(at(ME, 0.4, 2))])
    await index.replace_photo(nearer, event, [face(at(ME, 0.2, 3))])
    await index.replace_photo(far, event, [face(at(ME, 0.9, 4))])
    found = await index.search(ME, event_ids=[event], max_distance=THRESHOLD, limit=10)
    assert [match.media_id for match in found] == [nearer, near]
    assert [match.distance for match in found] == pytest.approx([0.2, 0.4], abs=1e-5)


async def test_one_entry_per_photo_its_best_face(index: FaceIndex) -> None:
    event, group = new_id(), new_id()
    await index.replace_photo(
        group, event, [face(at(ME, 0.5, 2), 0), face(at(ME, 0.1, 3), 100), face(unit(9), 200)]
    )
    found = await index.search(ME, event_ids=[event], max_distance=THRESHOLD, limit=10)
    assert [(m.media_id, round(m.distance, 4)) for m in found] == [(group, 0.1)]


async def test_events_are_isolated_unless_searched_together(index: FaceIndex) -> None:
    mine, other = new_id(), new_id()
    in_mine, in_other = new_id(), new_id()
    await index.replace_photo(in_mine, mine, [face(at(ME, 0.3, 2))])
    await index.replace_photo(in_other, other, [face(at(ME, 0.1, 3))])
    only_mine = await index.search(ME, event_ids=[mine], max_distance=THRESHOLD, limit=10)
    assert [m.media_id for m in only_mine] == [in_mine]
    both = await index.search(ME, event_ids=[mine, other], max_distance=THRESHOLD, limit=10)
    assert [m.media_id for m in both] == [in_other, in_mine]
    assert await index.search(ME, event_ids=[new_id()], max_distance=THRESHOLD, limit=10) == []


async def test_pages_continue_after_the_last_match(index: FaceIndex) -> None:
    event = new_id()
    photos = [new_id() for _ in range(5)]
    for n, photo in enumerate(photos):
        await index.replace_photo(photo, event, [face(at(ME, 0.1 * (n + 1), n + 10))])
    tied = new_id()  # the same distance as photos[1]: ordered by media id among equals
    await index.replace_photo(tied, event, [face(at(ME, 0.2, 11))])
    seen: list[UUID] = []
    after: FaceMatch | None = None
    while page := await index.search(
        ME, event_ids=[event], max_distance=THRESHOLD, limit=2, after=after
    ):
        seen += [m.media_id for m in page]
        after = page[-1]
    expected = [photos[0], *sorted([photos[1], tied]), *photos[2:]]
    assert seen == expected


async def test_reindexing_replaces_and_deletes_forget(index: FaceIndex) -> None:
    event = new_id()
    photo, other = new_id(), new_id()
    await index.replace_photo(photo, event, [face(at(ME, 0.2, 2)), face(unit(7), 80)])
    await index.replace_photo(photo, event, [face(unit(8), 5)])
    faces = await index.faces_of(photo)
    assert [(f.box, f.event_id) for f in faces] == [(FaceBox(5, 10, 55, 60), event)]
    assert faces[0].embedding == pytest.approx(unit(8), abs=1e-6)
    assert await index.search(ME, event_ids=[event], max_distance=THRESHOLD, limit=10) == []

    await index.replace_photo(other, event, [face(at(ME, 0.2, 3))])
    await index.delete_photo(other)
    assert await index.faces_of(other) == []
    await index.replace_photo(other, event, [face(at(ME, 0.2, 3))])
    await index.delete_event(event)
    assert await index.faces_of(photo) == []
    assert await index.search(ME, event_ids=[event], max_distance=2.0, limit=10) == []


async def test_a_photo_without_faces_is_not_found(index: FaceIndex) -> None:
    event, photo = new_id(), new_id()
    await index.replace_photo(photo, event, [])
    assert await index.faces_of(photo) == []
    assert await index.search(ME, event_ids=[event], max_distance=2.0, limit=10) == []


async def test_embeddings_of_another_size_are_refused(index: FaceIndex) -> None:
    with pytest.raises(ValueError, match="128"):
        await index.replace_photo(new_id(), new_id(), [face((0.1, 0.2))])
