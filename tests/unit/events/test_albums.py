"""Event albums on fakes (EVT-1): who sees and manages an album, the password and its limit,
photos attached and removed, and what deleting an album does to its media."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

import pytest

from social.domain.events.errors import EventPasswordRequired, WrongEventPassword
from social.domain.events.manage import CreateEvent, EventChanges, NewEvent
from social.domain.events.model import EventVisibility
from social.domain.events.photos import PhotoFile
from social.domain.media.jobs import DiscardPostMedia
from social.domain.posts.create_post import CreatePostCommand
from social.domain.shared.errors import Forbidden, Invalid, NotFound, RateLimited
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.pagination import PageRequest
from tests.fakes.media import FAKE_IMAGE, FAKE_VIDEO
from tests.unit.harness import Accounts, chunks, ready_media

DAY = date(2026, 11, 28)


async def album(
    accounts: Accounts,
    viewer: Viewer,
    *,
    password: str | None = None,
    visibility: EventVisibility = EventVisibility.UNLISTED,
) -> UUID:
    create = accounts.uc.get(CreateEvent)
    view = await create.execute(viewer, NewEvent("Wisuda", DAY, visibility, password))
    return view.event.id


async def test_the_title_and_password_are_checked_and_only_a_hash_is_kept(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(Invalid) as refused:
        await accounts.create_event.execute(alice, NewEvent("   ", DAY, password="abc"))
    assert {e.field for e in refused.value.errors} == {"title", "password"}
    view = await accounts.create_event.execute(
        alice, NewEvent("  Wisuda \n 2026 ", DAY, password="rahasia")
    )
    stored = accounts.store.events[view.event.id]
    assert stored.title == "Wisuda 2026" and stored.password_hash not in (None, "rahasia")
    assert await accounts.hasher.verify(stored.password_hash or "", "rahasia")


async def test_a_private_album_exists_only_for_its_organiser_staff_and_granted_guests(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    event_id = await album(accounts, alice, password="rahasia")
    await accounts.open_event.execute(bob, event_id, "rahasia")
    await accounts.update_event.execute(
        alice, event_id, EventChanges(visibility=EventVisibility.PRIVATE)
    )
    assert (await accounts.get_event.execute(bob, event_id)).can_view_photos
    with pytest.raises(NotFound):
        await accounts.get_event.execute(carol, event_id)
    with pytest.raises(NotFound):
        await accounts.open_event.execute(carol, event_id, "rahasia")
    moderator = replace(carol, role=Role.MODERATOR)
    assert (await accounts.get_event.execute(moderator, event_id)).can_manage
    renamed = await accounts.update_event.execute(
        moderator, event_id, EventChanges(title="Renamed")
    )
    assert renamed.event.title == "Renamed"
    with pytest.raises(Forbidden):
        await accounts.update_event.execute(bob, event_id, EventChanges(title="Mine now"))


async def test_a_block_hides_the_organisers_albums_both_ways(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    event_id = await album(accounts, alice, visibility=EventVisibility.PUBLIC)
    assert [
        v.event.id for v in (await accounts.search_events.execute(bob, "", PageRequest())).items
    ] == [event_id]
    await accounts.block_user.execute(bob, "alice")
    with pytest.raises(NotFound):
        await accounts.get_event.execute(bob, event_id)
    assert (await accounts.search_events.execute(bob, "wisuda", PageRequest())).items == []


async def test_the_password_is_asked_once_and_its_checks_are_limited(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    event_id = await album(accounts, alice, password="rahasia")
    with pytest.raises(EventPasswordRequired):
        await accounts.list_event_photos.execute(bob, event_id, PageRequest())
    for _ in range(3):
        with pytest.raises(WrongEventPassword):
            await accounts.open_event.execute(bob, event_id, "salah")
    assert (await accounts.open_event.execute(bob, event_id, "rahasia")).granted
    assert (await accounts.list_event_photos.execute(bob, event_id, PageRequest())).items == []
    await accounts.open_event.execute(bob, event_id, None)  # remembered: no check counted
    await accounts.update_event.execute(
        alice, event_id, EventChanges(change_password=True, password="baru-lagi")
    )
    with pytest.raises(WrongEventPassword):
        await accounts.open_event.execute(bob, event_id, "rahasia")
    with pytest.raises(RateLimited):  # the sixth check within the window
        await accounts.open_event.execute(bob, event_id, "baru-lagi")


async def test_photos_are_the_organisers_photo_uploads_in_one_album_at_most(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    event_id, other_id = await album(accounts, alice), await album(accounts, alice)
    photos = [await ready_media(accounts, alice, FAKE_IMAGE) for _ in range(2)]
    video = await accounts.upload_media.execute(alice, chunks(FAKE_VIDEO))
    bobs = await ready_media(accounts, bob, FAKE_IMAGE)
    ids = [p.id for p in photos]
    attached = await accounts.attach_event_photos.execute(alice, event_id, ids)
    assert [(p.photo.media_id, p.photo.position) for p in attached] == [(ids[0], 1), (ids[1], 2)]
    again = await accounts.attach_event_photos.execute(alice, event_id, ids[::-1])
    assert [p.photo.position for p in again] == [2, 1]  # already there: they stay where they are
    for refused in ([video.id], [bobs.id], [ids[0]]):
        target = other_id if refused == [ids[0]] else event_id
        with pytest.raises(Invalid):
            await accounts.attach_event_photos.execute(alice, target, refused)
    with pytest.raises(Forbidden):
        await accounts.attach_event_photos.execute(bob, event_id, [bobs.id])


async def test_a_bulk_upload_keeps_the_photos_and_reports_the_rest(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    event_id = await album(accounts, alice)
    files = [
        PhotoFile("a.jpg", chunks(FAKE_IMAGE)),
        PhotoFile("clip.mp4", chunks(FAKE_VIDEO)),
        PhotoFile("b.jpg", chunks(FAKE_IMAGE)),
    ]
    done = await accounts.upload_event_photos.execute(alice, event_id, files)
    assert [(r.name, r.reason) for r in done.rejected] == [
        ("clip.mp4", "This file is not a photo.")
    ]
    assert [p.photo.position for p in done.photos] == [1, 2]
    assert len(accounts.store.media) == 2  # the video was never stored
    with pytest.raises(Invalid):
        await accounts.upload_event_photos.execute(alice, event_id, [])


async def test_an_albums_photos_are_not_a_posts_and_go_with_the_album(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    event_id = await album(accounts, alice)
    photos = [(await ready_media(accounts, alice, FAKE_IMAGE)).id for _ in range(3)]
    await accounts.attach_event_photos.execute(alice, event_id, photos)
    await accounts.open_event.execute(bob, event_id, None)
    assert await accounts.bookmark_photos.execute(bob, photos) == 3
    with pytest.raises(Invalid, match="a photo of an event album"):
        await accounts.create_post.execute(alice, CreatePostCommand("shared", (photos[2],)))
    assert await accounts.remove_event_photos.execute(alice, event_id, [photos[0]]) == 1
    assert accounts.store.jobs[-1] == DiscardPostMedia((photos[0],))
    await accounts.delete_event.execute(alice, event_id)
    assert accounts.store.jobs[-1] == DiscardPostMedia((photos[1], photos[2]))
    await accounts.run_jobs(DiscardPostMedia)
    assert set(accounts.store.media) == set()
    assert (await accounts.list_collection.execute(bob, PageRequest())).items == []
    assert (await accounts.list_recent_events.execute(bob, PageRequest())).items == []


async def test_only_photos_the_viewer_may_see_are_bookmarked_and_listed(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    event_id = await album(accounts, alice, password="rahasia")
    ready = (await ready_media(accounts, alice, FAKE_IMAGE)).id
    pending = (await accounts.upload_media.execute(alice, chunks(FAKE_IMAGE))).id
    await accounts.attach_event_photos.execute(alice, event_id, [ready, pending])
    with pytest.raises(NotFound):
        await accounts.bookmark_photos.execute(bob, [ready])
    await accounts.open_event.execute(bob, event_id, "rahasia")
    listed = await accounts.list_event_photos.execute(bob, event_id, PageRequest())
    assert [p.photo.media_id for p in listed.items] == [ready]  # guests: processed photos only
    mine = await accounts.list_event_photos.execute(alice, event_id, PageRequest())
    assert [p.photo.media_id for p in mine.items] == [ready, pending]
    with pytest.raises(NotFound):
        await accounts.bookmark_photos.execute(bob, [ready, pending])
    assert await accounts.bookmark_photos.execute(bob, [ready]) == 1
    await accounts.update_event.execute(
        alice, event_id, EventChanges(change_password=True, password="baru-lagi")
    )
    assert (await accounts.list_collection.execute(bob, PageRequest())).items == []
    assert await accounts.unbookmark_photos.execute(bob, [ready]) == 1
