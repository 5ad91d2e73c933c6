"""Indexing an event photo's faces (the job) and matching a face, on the fakes."""

from __future__ import annotations

from datetime import date

import pytest

from social.adapters.jobs.registry import run_job
from social.domain.events.manage import NewEvent
from social.domain.faces.index_faces import IndexFaces
from social.domain.faces.jobs import IndexPhotoFaces
from social.domain.faces.match_faces import MatchFaces
from social.domain.faces.model import EMBEDDING_SIZE, DetectedFace, FaceBox, FaceMatch
from social.domain.shared.errors import Unavailable
from social.domain.shared.ids import new_id
from tests.fakes.faces import InMemoryFaceIndex, ScriptedFaceEngine
from tests.unit.harness import Accounts, build_accounts, chunks, ready_media

ME = tuple([0.1] * EMBEDDING_SIZE)
STRANGER = tuple([0.2] * EMBEDDING_SIZE)  # 1.13 away
DAY = date(2026, 11, 28)


@pytest.fixture
def engine() -> ScriptedFaceEngine:
    return ScriptedFaceEngine()


@pytest.fixture
def index() -> InMemoryFaceIndex:
    return InMemoryFaceIndex()


@pytest.fixture
def accounts(engine: ScriptedFaceEngine, index: InMemoryFaceIndex) -> Accounts:
    return build_accounts(face_engine=engine, face_index=index)


async def test_the_job_indexes_the_faces_of_the_large_variant_in_photo_pixels(
    accounts: Accounts, engine: ScriptedFaceEngine, index: InMemoryFaceIndex
) -> None:
    _, _, viewer = await accounts.sign_up()
    photo = await ready_media(accounts, viewer, b"FAKEIMG 2160x1620")
    engine.faces[b"large:1080x810"] = [
        DetectedFace(FaceBox(500, 100, 600, 200), STRANGER),
        DetectedFace(FaceBox(100, 100, 200, 200), ME),
    ]
    event = new_id()
    index.add_photo(photo.id, event)
    assert await run_job(accounts.uc, IndexPhotoFaces(photo.id, event)) == 2
    assert await run_job(accounts.uc, IndexPhotoFaces(photo.id, event)) == 2  # idempotent
    stored = await index.faces_of(photo.id)
    assert [(face.box, face.event_id) for face in stored] == [
        (FaceBox(200, 200, 400, 400), event),
        (FaceBox(1000, 200, 1200, 400), event),
    ]

    engine.faces[b"large:1080x810"] = []  # indexed again with a better engine: no face now
    assert await accounts.uc.get(IndexFaces).execute(photo.id, event) == 0
    assert await index.faces_of(photo.id) == []


async def test_faces_live_only_while_the_photo_is_the_events(engine: ScriptedFaceEngine) -> None:
    """The harness's index follows the fake database's event photos, like the foreign key."""
    accounts = build_accounts(face_engine=engine)
    match = accounts.uc.get(MatchFaces)
    _, _, alice = await accounts.sign_up("alice")
    photo = await ready_media(accounts, alice, b"FAKEIMG 1080x810")
    engine.faces[b"large:1080x810"] = [DetectedFace(FaceBox(0, 0, 9, 9), ME)]
    event = (await accounts.create_event.execute(alice, NewEvent("Wisuda", DAY))).event.id
    assert await run_job(accounts.uc, IndexPhotoFaces(photo.id, event)) == 0  # detected 1, kept 0
    assert await match.execute(ME, [event], limit=10) == []  # not the event's photo yet: none

    await accounts.attach_event_photos.execute(alice, event, [photo.id])
    assert await run_job(accounts.uc, IndexPhotoFaces(photo.id, new_id())) == 0  # another's
    assert await match.execute(ME, [event], limit=10) == []
    assert await run_job(accounts.uc, IndexPhotoFaces(photo.id, event)) == 1
    assert await match.execute(ME, [event], limit=10) == [FaceMatch(photo.id, 0.0)]

    await accounts.remove_event_photos.execute(alice, event, [photo.id])
    assert await match.execute(ME, [event], limit=10) == []
    assert await run_job(accounts.uc, IndexPhotoFaces(photo.id, event)) == 0  # the job ran late
    assert await match.execute(ME, [event], limit=10) == []


async def test_a_photo_still_processing_is_retried_later(accounts: Accounts) -> None:
    _, _, viewer = await accounts.sign_up()
    item = await accounts.upload_media.execute(viewer, chunks(b"FAKEIMG 800x600"))
    with pytest.raises(Unavailable):
        await accounts.uc.get(IndexFaces).execute(item.id, new_id())


async def test_a_photo_gone_or_a_video_has_no_faces(
    accounts: Accounts, index: InMemoryFaceIndex
) -> None:
    _, _, viewer = await accounts.sign_up()
    gone, event = new_id(), new_id()
    index.add_photo(gone, event)
    assert await index.replace_photo(gone, event, [DetectedFace(FaceBox(0, 0, 9, 9), ME)]) == 1
    assert await accounts.uc.get(IndexFaces).execute(gone, event) == 0
    assert await index.faces_of(gone) == []
    video = await ready_media(accounts, viewer, b"FAKEVID 640x360 3s")
    assert await accounts.uc.get(IndexFaces).execute(video.id, event) == 0


async def test_matching_searches_the_given_events_under_the_threshold(
    accounts: Accounts, index: InMemoryFaceIndex
) -> None:
    match = accounts.uc.get(MatchFaces)
    event, other = new_id(), new_id()
    mine, strangers, elsewhere = new_id(), new_id(), new_id()
    for photo, album in ((mine, event), (strangers, event), (elsewhere, other)):
        index.add_photo(photo, album)
    await index.replace_photo(mine, event, [DetectedFace(FaceBox(0, 0, 9, 9), ME)])
    await index.replace_photo(strangers, event, [DetectedFace(FaceBox(0, 0, 9, 9), STRANGER)])
    await index.replace_photo(elsewhere, other, [DetectedFace(FaceBox(0, 0, 9, 9), ME)])
    assert await match.execute(ME, [event], limit=10) == [FaceMatch(mine, 0.0)]
    assert await match.execute(ME, [], limit=10) == []
    both = await match.execute(ME, [event, other], limit=1)
    rest = await match.execute(ME, [event, other], limit=10, after=both[0])
    assert {m.media_id for m in both + rest} == {mine, elsewhere}
    with pytest.raises(ValueError, match="128"):
        await match.execute((0.1, 0.2), [event], limit=10)
