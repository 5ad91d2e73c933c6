"""The ``FaceIndex`` contract, run on the in-memory fake, the exact PostgreSQL adapter (core
SQL: the test database) and the pgvector one: on the test database when its server has the
``vector`` extension, else on an embedded server of its own (the ``pgserver`` wheel bundles
pgvector; Debian 12, the services' PostgreSQL, packages none), so both adapters pass the same
suite wherever the tests run. Faces are stored only for real event photos (``face_photos.py``):
a face row lives only as long as its photo is its event's."""

from __future__ import annotations

import asyncio
import math
import random
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from social.adapters.faces.postgres_index import PostgresFaceIndex, has_pgvector
from social.adapters.postgres import migrations
from social.adapters.postgres.database import Database
from social.domain.faces.model import EMBEDDING_SIZE, DetectedFace, FaceBox, FaceMatch
from social.domain.faces.ports import FaceIndex
from social.domain.shared.ids import new_id
from tests.contract.face_photos import EventPhotos, RegisteredPhotos, SqlPhotos, until_blocked
from tests.fakes.faces import InMemoryFaceIndex

THRESHOLD = 0.6


@dataclass
class Leg:
    """An adapter and the event photos of its database (or of the fake's registry)."""

    index: FaceIndex
    photos: EventPhotos
    engine: AsyncEngine | None = None


@pytest.fixture
def memory_leg() -> Leg:
    faces = InMemoryFaceIndex()
    return Leg(faces, RegisteredPhotos(faces))


@pytest.fixture
def exact_leg(database: Database) -> Leg:
    index = PostgresFaceIndex(database.sessions, distance="exact")
    return Leg(index, SqlPhotos(database.engine), database.engine)  # the test database empties


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
async def pgvector_leg(pgvector_database_url: str) -> AsyncIterator[Leg]:
    database = Database.connect(pgvector_database_url, pool_size=4, pool_timeout_s=10)
    photos = SqlPhotos(database.engine)
    try:
        assert await has_pgvector(database.engine), "migration 0025 enables pgvector"
        yield Leg(
            PostgresFaceIndex(database.sessions, distance="pgvector"), photos, database.engine
        )
    finally:
        await photos.close()  # its events, photos and their faces go with the organiser
        await database.close()


@pytest.fixture(params=["memory", "exact", "pgvector"])
def leg(request: pytest.FixtureRequest) -> Leg:
    """Sync on purpose: ``getfixturevalue`` of an async fixture needs the loop to be idle."""
    chosen: Leg = request.getfixturevalue(f"{request.param}_leg")
    return chosen


@pytest.fixture
def index(leg: Leg) -> FaceIndex:
    return leg.index


@pytest.fixture
def photos(leg: Leg) -> EventPhotos:
    return leg.photos


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


async def test_nearest_first_within_the_threshold(index: FaceIndex, photos: EventPhotos) -> None:
    event = await photos.event()
    near, nearer, far = [await photos.photo(event) for _ in range(3)]
    await index.replace_photo(near, event, [face(at(ME, 0.4, 2))])
    await index.replace_photo(nearer, event, [face(at(ME, 0.2, 3))])
    await index.replace_photo(far, event, [face(at(ME, 0.9, 4))])
    found = await index.search(ME, event_ids=[event], max_distance=THRESHOLD, limit=10)
    assert [match.media_id for match in found] == [nearer, near]
    assert [match.distance for match in found] == pytest.approx([0.2, 0.4], abs=1e-5)


async def test_one_entry_per_photo_its_best_face(index: FaceIndex, photos: EventPhotos) -> None:
    event = await photos.event()
    group = await photos.photo(event)
    await index.replace_photo(
        group, event, [face(at(ME, 0.5, 2), 0), face(at(ME, 0.1, 3), 100), face(unit(9), 200)]
    )
    found = await index.search(ME, event_ids=[event], max_distance=THRESHOLD, limit=10)
    assert [(m.media_id, round(m.distance, 4)) for m in found] == [(group, 0.1)]


async def test_events_are_isolated_unless_searched_together(
    index: FaceIndex, photos: EventPhotos
) -> None:
    mine, other = await photos.event(), await photos.event()
    in_mine, in_other = await photos.photo(mine), await photos.photo(other)
    await index.replace_photo(in_mine, mine, [face(at(ME, 0.3, 2))])
    await index.replace_photo(in_other, other, [face(at(ME, 0.1, 3))])
    only_mine = await index.search(ME, event_ids=[mine], max_distance=THRESHOLD, limit=10)
    assert [m.media_id for m in only_mine] == [in_mine]
    both = await index.search(ME, event_ids=[mine, other], max_distance=THRESHOLD, limit=10)
    assert [m.media_id for m in both] == [in_other, in_mine]
    assert await index.search(ME, event_ids=[new_id()], max_distance=THRESHOLD, limit=10) == []


async def test_pages_continue_after_the_last_match(index: FaceIndex, photos: EventPhotos) -> None:
    event = await photos.event()
    shots = [await photos.photo(event) for _ in range(5)]
    for n, photo in enumerate(shots):
        await index.replace_photo(photo, event, [face(at(ME, 0.1 * (n + 1), n + 10))])
    tied = await photos.photo(event)  # the same distance as shots[1]: by media id among equals
    await index.replace_photo(tied, event, [face(at(ME, 0.2, 11))])
    seen: list[UUID] = []
    after: FaceMatch | None = None
    while page := await index.search(
        ME, event_ids=[event], max_distance=THRESHOLD, limit=2, after=after
    ):
        seen += [m.media_id for m in page]
        after = page[-1]
    expected = [shots[0], *sorted([shots[1], tied]), *shots[2:]]
    assert seen == expected


async def test_reindexing_replaces_and_deletes_forget(
    index: FaceIndex, photos: EventPhotos
) -> None:
    event = await photos.event()
    photo, other = await photos.photo(event), await photos.photo(event)
    assert await index.replace_photo(photo, event, [face(at(ME, 0.2, 2)), face(unit(7), 80)]) == 2
    assert await index.replace_photo(photo, event, [face(unit(8), 5)]) == 1
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


async def test_a_photo_without_faces_is_not_found(index: FaceIndex, photos: EventPhotos) -> None:
    event = await photos.event()
    photo = await photos.photo(event)
    assert await index.replace_photo(photo, event, []) == 0
    assert await index.faces_of(photo) == []
    assert await index.search(ME, event_ids=[event], max_distance=2.0, limit=10) == []


async def test_embeddings_of_another_size_are_refused(
    index: FaceIndex, photos: EventPhotos
) -> None:
    event = await photos.event()
    photo = await photos.photo(event)
    with pytest.raises(ValueError, match="128"):
        await index.replace_photo(photo, event, [face((0.1, 0.2))])
    assert await index.faces_of(photo) == []


async def test_removing_a_photo_forgets_its_faces(index: FaceIndex, photos: EventPhotos) -> None:
    event = await photos.event()
    removed, kept = await photos.photo(event), await photos.photo(event)
    await index.replace_photo(removed, event, [face(at(ME, 0.1, 2)), face(unit(7), 80)])
    await index.replace_photo(kept, event, [face(at(ME, 0.3, 3))])
    await photos.remove_photo(removed)
    assert await index.faces_of(removed) == []
    found = await index.search(ME, event_ids=[event], max_distance=THRESHOLD, limit=10)
    assert [m.media_id for m in found] == [kept]
    assert len(await index.faces_of(kept)) == 1


async def test_deleting_an_event_forgets_the_faces_of_all_its_photos(
    index: FaceIndex, photos: EventPhotos
) -> None:
    event, other = await photos.event(), await photos.event()
    shots = [await photos.photo(event) for _ in range(3)]
    elsewhere = await photos.photo(other)
    for n, photo in enumerate([*shots, elsewhere]):
        await index.replace_photo(photo, event if photo in shots else other, [face(unit(n + 20))])
    await photos.delete_event(event)
    for photo in shots:
        assert await index.faces_of(photo) == []
    assert await index.search(unit(20), event_ids=[event], max_distance=2.0, limit=10) == []
    assert [f.event_id for f in await index.faces_of(elsewhere)] == [other]
    found = await index.search(unit(23), event_ids=[other], max_distance=0.01, limit=10)
    assert [m.media_id for m in found] == [elsewhere]


async def test_faces_of_a_photo_not_the_events_are_not_stored(
    index: FaceIndex, photos: EventPhotos
) -> None:
    event, other = await photos.event(), await photos.event()
    theirs = await photos.photo(other)
    assert await index.replace_photo(theirs, other, [face(at(ME, 0.3, 2))]) == 1
    assert await index.replace_photo(theirs, event, [face(at(ME, 0.1, 3)), face(unit(7), 80)]) == 0
    assert await index.replace_photo(new_id(), event, [face(at(ME, 0.1, 4))]) == 0  # no photo
    assert await index.search(ME, event_ids=[event], max_distance=2.0, limit=10) == []
    kept = await index.faces_of(theirs)  # its faces in its own event are untouched
    assert [(f.event_id, f.box.left) for f in kept] == [(other, 0)]

    gone = await photos.photo(event)
    await photos.remove_photo(gone)
    assert await index.replace_photo(gone, event, [face(at(ME, 0.1, 5))]) == 0  # ran late
    assert await index.faces_of(gone) == []
    assert await index.search(ME, event_ids=[event], max_distance=2.0, limit=10) == []


@pytest.mark.parametrize("leg", ["exact", "pgvector"], indirect=True)
async def test_a_photo_removed_while_its_faces_are_stored_keeps_none(leg: Leg) -> None:
    """The removal commits after the insert saw the photo: the foreign key refuses the insert,
    the adapter takes it as gone, and its sessions keep working."""
    assert leg.engine is not None
    event = await leg.photos.event()
    removed, next_one = await leg.photos.photo(event), await leg.photos.photo(event)
    async with leg.engine.connect() as remover:
        await remover.execute(
            text("DELETE FROM event_photos WHERE media_id = :media"), {"media": removed}
        )  # not committed yet: the insert waits on the row, then finds it gone
        storing = asyncio.create_task(
            leg.index.replace_photo(removed, event, [face(at(ME, 0.1, 2))])
        )
        await until_blocked(leg.engine)
        await remover.commit()
    assert await asyncio.wait_for(storing, timeout=10) == 0
    assert await leg.index.faces_of(removed) == []
    await leg.index.replace_photo(next_one, event, [face(at(ME, 0.2, 3))])
    found = await leg.index.search(ME, event_ids=[event], max_distance=THRESHOLD, limit=10)
    assert [m.media_id for m in found] == [next_one]
