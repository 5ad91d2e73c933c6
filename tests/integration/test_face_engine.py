"""The dlib face engine on real portraits (public domain: see ``tests/data/faces/README.md``)
and synthetic variations of them (``tests/faces_set.py``), through the exact PostgreSQL index.

Measured on this set (``test_precision_and_recall_on_the_labelled_set`` recomputes it): every
pair of the same person lies within 0.26, every pair of different people beyond 0.61, so at
the default threshold (0.55) precision and recall are both 1.0 over 650 pairs of 26 faces."""

from __future__ import annotations

import itertools
import math
from concurrent.futures import ProcessPoolExecutor

import pytest
from PIL import Image

from social.adapters.faces.dlib_engine import DlibFaceEngine, find_faces
from social.adapters.faces.postgres_index import PostgresFaceIndex
from social.adapters.postgres.database import Database
from social.domain.faces.model import EMBEDDING_SIZE, DetectedFace
from social.domain.faces.reference import SetFaceReference
from social.domain.media.errors import MediaRejected
from social.domain.shared.clock import SystemClock
from social.domain.shared.errors import Invalid, Unavailable
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.ids import new_id
from social.settings.faces import FaceSettings
from tests.contract.face_photos import SqlPhotos
from tests.faces_set import DATA, Sample, collage, encoded, portrait, variations
from tests.fakes.faces import InMemoryFaceReferences

THRESHOLD = FaceSettings().face_match_threshold


def faces(image: bytes, *, max_side: int = 1080) -> list[DetectedFace]:
    return find_faces(image, max_side=max_side, upsample=1, max_pixels=50_000_000)


@pytest.fixture(scope="module")
def embedded() -> list[tuple[Sample, tuple[float, ...]]]:
    """Each sample with the embedding of its one face (a sample with another count fails)."""
    found = []
    for sample in variations():
        detected = faces(sample.image)
        assert len(detected) == 1, (sample.person, sample.variation, len(detected))
        found.append((sample, detected[0].embedding))
    return found


def test_a_portrait_has_exactly_one_face_where_the_face_is() -> None:
    [face] = faces((DATA / "grace_hopper.jpg").read_bytes())
    assert len(face.embedding) == EMBEDDING_SIZE
    assert all(math.isfinite(value) for value in face.embedding)
    # the face sits in the upper middle of the 512x600 photo
    assert 100 < face.box.left < face.box.right < 420
    assert 80 < face.box.top < face.box.bottom < 400


def test_a_photo_without_people_has_no_face() -> None:
    assert faces((DATA / "coffee.jpg").read_bytes()) == []


def test_bytes_that_are_no_image_are_refused() -> None:
    with pytest.raises(MediaRejected):
        faces(b"GIF89a but not really")


def test_boxes_are_in_the_photos_own_pixels_after_downscaling() -> None:
    image = (DATA / "grace_hopper.jpg").read_bytes()
    [full] = faces(image)
    [small] = faces(image, max_side=300)
    tolerance = (full.box.right - full.box.left) * 0.2  # the detector's coarser grid there
    for a, b in zip(
        (full.box.left, full.box.top, full.box.right, full.box.bottom),
        (small.box.left, small.box.top, small.box.right, small.box.bottom),
        strict=True,
    ):
        assert abs(a - b) < tolerance


def test_precision_and_recall_on_the_labelled_set(
    embedded: list[tuple[Sample, tuple[float, ...]]],
) -> None:
    """Every pair: the same person should match, different people should not."""
    true_pos = false_pos = false_neg = 0
    for (a, ea), (b, eb) in itertools.combinations(embedded, 2):
        match = math.dist(ea, eb) <= THRESHOLD
        same = a.person == b.person
        true_pos += match and same
        false_pos += match and not same
        false_neg += same and not match
    assert len(embedded) == 26
    assert true_pos + false_neg > 0
    assert true_pos / (true_pos + false_pos) == 1.0  # precision
    assert true_pos / (true_pos + false_neg) == 1.0  # recall


async def test_a_selfie_finds_the_photos_with_that_person(database: Database) -> None:
    """Alone, in a group collage, never the other person's photo nor an empty one."""
    index = PostgresFaceIndex(database.sessions, distance="exact")
    album = SqlPhotos(database.engine)  # faces are kept only for an event's photos
    event = await album.event()
    photos = {
        "collins": encoded(portrait("collins")),
        "hopper": encoded(portrait("hopper")),
        "group": collage("hopper", "collins"),
        "coffee": (DATA / "coffee.jpg").read_bytes(),
    }
    ids = {name: await album.photo(event) for name in photos}
    for name, image in photos.items():
        await index.replace_photo(ids[name], event, faces(image))
    assert len(await index.faces_of(ids["group"])) == 2

    selfie = faces(
        encoded(portrait("collins").transpose(Image.Transpose.FLIP_LEFT_RIGHT).rotate(5))
    )[0].embedding
    found = await index.search(selfie, event_ids=[event], max_distance=THRESHOLD, limit=10)
    assert {match.media_id for match in found} == {ids["collins"], ids["group"]}
    other = await index.search(
        faces(encoded(portrait("hopper"), quality=40))[0].embedding,
        event_ids=[event],
        max_distance=THRESHOLD,
        limit=10,
    )
    assert {match.media_id for match in other} == {ids["hopper"], ids["group"]}


async def test_the_engine_runs_in_a_worker_process() -> None:
    image = (DATA / "eileen_collins.jpg").read_bytes()
    engine = DlibFaceEngine(processes=1)
    try:
        [face] = await engine.detect(image)
    finally:
        engine.close()
    [here] = faces(image)
    assert face.box == here.box
    assert face.embedding == pytest.approx(here.embedding, abs=1e-6)


async def test_a_real_selfie_needs_exactly_one_face() -> None:
    """The reference flow on the real engine: a portrait is taken, a group shot and a photo
    without people are refused (422 naming ``selfie``)."""
    references = InMemoryFaceReferences()
    engine = DlibFaceEngine(processes=0)
    set_reference = SetFaceReference(engine=engine, references=references, clock=SystemClock())
    viewer = Viewer(user_id=new_id(), role=Role.USER, session_id=new_id())
    for refused in (collage("collins", "hopper"), (DATA / "coffee.jpg").read_bytes()):
        with pytest.raises(Invalid, match="exactly one face"):
            await set_reference.execute(viewer, refused, consent=True)
    assert references.references == {}
    taken = await set_reference.execute(viewer, encoded(portrait("hopper")), consent=True)
    [face] = faces((DATA / "grace_hopper.jpg").read_bytes())
    assert math.dist(taken.embedding, face.embedding) < THRESHOLD


async def test_a_dead_worker_fails_the_call_for_a_retry_and_the_next_call_works() -> None:
    image = (DATA / "eileen_collins.jpg").read_bytes()
    engine = DlibFaceEngine(processes=1)
    try:
        await engine.detect(image)
        pool = engine._pool
        assert isinstance(pool, ProcessPoolExecutor)
        for process in pool._processes.values():  # as the OOM killer would
            process.kill()
        with pytest.raises(Unavailable):
            await engine.detect(image)
        assert len(await engine.detect(image)) == 1
    finally:
        engine.close()
