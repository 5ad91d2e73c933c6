"""The data export's event-album, sign-in and face sections on fakes, read a row per page: every
album photo's row and file, nothing of another user's albums, the face reference whole."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from social.domain.accounts.oidc_model import OidcIdentity
from social.domain.events.model import Event, EventPhoto, EventVisibility
from social.domain.faces.model import EMBEDDING_SIZE
from social.domain.faces.reference import FaceReference
from social.domain.lifecycle.build_export import BuildDataExport
from social.domain.lifecycle.data_export import ExportLimits, ExportStatus
from social.domain.shared.ids import new_id
from tests.fakes.media import FAKE_IMAGE
from tests.unit.harness import ready_media
from tests.unit.lifecycle.test_data_exports import World, archive, world

__all__ = ["world"]  # the fixture, shared with the export tests

WHEN = datetime(2026, 12, 7, 10, tzinfo=UTC)


def album(owner_id: UUID, title: str, password_hash: str | None = None) -> Event:
    return Event(
        id=new_id(),
        owner_id=owner_id,
        title=title,
        event_date=date(2026, 11, 28),
        visibility=EventVisibility.PUBLIC,
        password_hash=password_hash,
        created_at=WHEN,
        updated_at=WHEN + timedelta(minutes=5),
    )


async def test_albums_photos_collection_identities_and_face_reference_are_exported(
    world: World,
) -> None:
    accounts, store = world.accounts, world.accounts.store
    alice_user, _, alice = await accounts.sign_up("alice")
    bob_user, _, bob = await accounts.sign_up("bob")
    mine, bobs = album(alice_user.id, "Wisuda", "hash-never-exported"), album(bob_user.id, "B")
    store.events |= {mine.id: mine, bobs.id: bobs}
    photos = [await ready_media(accounts, alice, FAKE_IMAGE) for _ in range(3)]
    bobs_photo = await ready_media(accounts, bob, FAKE_IMAGE)
    for n, item in enumerate(photos, start=1):
        store.event_photos[item.id] = EventPhoto(item.id, mine.id, n, WHEN + timedelta(seconds=n))
    store.event_photos[bobs_photo.id] = EventPhoto(bobs_photo.id, bobs.id, 1, WHEN)
    store.photo_bookmarks[(alice_user.id, bobs_photo.id)] = WHEN + timedelta(hours=1)
    store.event_recent[(alice_user.id, bobs.id)] = WHEN + timedelta(hours=2)
    store.event_access[(alice_user.id, bobs.id)] = WHEN + timedelta(hours=3)
    identity = OidcIdentity("https://id.example.org", "a-1", alice_user.id, WHEN)
    store.oidc_identities[(identity.issuer, identity.subject)] = identity
    embedding = tuple(i / 128 for i in range(EMBEDDING_SIZE))
    a = world.adapters
    await a.face_references.put(FaceReference(alice_user.id, embedding, WHEN))

    export = await accounts.request_data_export.execute(alice)
    build = BuildDataExport(
        uow=a.uow,
        storage=a.storage,
        references=a.face_references,
        clock=a.clock,
        limits=ExportLimits(page_size=1),
    )
    assert await build.execute(export.id) is ExportStatus.READY
    zipped = archive(accounts, store.exports[export.id])

    def read(name: str) -> object:
        return json.loads(zipped.read(name))

    assert read("events.json") == [
        {
            "id": str(mine.id),
            "title": "Wisuda",
            "event_date": "2026-11-28",
            "visibility": "public",
            "has_password": True,
            "created_at": WHEN.isoformat(),
            "updated_at": (WHEN + timedelta(minutes=5)).isoformat(),
        }
    ]
    rows = read("event_photos.json")
    assert isinstance(rows, list)
    assert [(r["media_id"], r["position"], r["source"]) for r in rows] == [
        (str(item.id), n, "large") for n, item in enumerate(photos, start=1)
    ]
    for row, item in zip(rows, photos, strict=True):
        large = next(v for v in item.variants if v.name == "large")
        assert zipped.read(row["file"]) == accounts.storage.objects[large.key][0]
    assert f"media/{bobs_photo.id}.jpg" not in zipped.namelist()
    assert read("photo_collection.json") == [
        {
            "media_id": str(bobs_photo.id),
            "event_id": str(bobs.id),
            "bookmarked_at": (WHEN + timedelta(hours=1)).isoformat(),
        }
    ]
    assert read("recent_events.json") == [
        {"event_id": str(bobs.id), "opened_at": (WHEN + timedelta(hours=2)).isoformat()}
    ]
    assert read("event_access.json") == [
        {"event_id": str(bobs.id), "granted_at": (WHEN + timedelta(hours=3)).isoformat()}
    ]
    assert read("linked_identities.json") == [
        {"issuer": "https://id.example.org", "subject": "a-1", "linked_at": WHEN.isoformat()}
    ]
    assert read("face_reference.json") == {
        "consented_at": WHEN.isoformat(),
        "embedding": list(embedding),
    }
    assert all(b"hash-never-exported" not in zipped.read(n) for n in zipped.namelist())


async def test_without_albums_or_a_face_reference_the_sections_are_empty(world: World) -> None:
    accounts = world.accounts
    _, _, alice = await accounts.sign_up("alice")
    export = await accounts.request_data_export.execute(alice)
    assert await accounts.build_data_export.execute(export.id) is ExportStatus.READY
    zipped = archive(accounts, accounts.store.exports[export.id])
    for name in (
        "events.json",
        "event_photos.json",
        "photo_collection.json",
        "recent_events.json",
        "event_access.json",
        "linked_identities.json",
    ):
        assert json.loads(zipped.read(name)) == [], name
    assert json.loads(zipped.read("face_reference.json")) is None
