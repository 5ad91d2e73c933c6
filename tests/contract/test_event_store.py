"""One suite for the event albums store (``EventRepository``), on the fake and on PostgreSQL:
events read back and are searched (own and public, by title, any case, wildcards taken
literally, newest first, paged); photos keep upload order, one event each; access, recently
opened (the latest few kept) and the collection; and the cascades when an event or a media item
goes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from social.domain.events.model import Event, EventVisibility
from social.domain.media.model import MediaItem, MediaKind, MediaPurpose, MediaStatus
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Cursor, PageRequest, RankCursor
from tests.contract.stores import STORE_NOW, Backend, backend, users

__all__ = ["backend"]


def event(owner: UUID, title: str = "Wisuda", minutes: int = 0, **changes: object) -> Event:
    at = STORE_NOW + timedelta(minutes=minutes)
    made = Event(new_id(), owner, title, date(2026, 11, 28), EventVisibility.PUBLIC, None, at, at)
    return replace(made, **changes)  # type: ignore[arg-type]


async def add_events(backend: Backend, *events: Event) -> None:
    async with backend.uow() as uow:
        for e in events:
            await uow.events.add(e)
        await uow.commit()


async def add_media(backend: Backend, owner: UUID, count: int, days_old: int = 0) -> list[UUID]:
    items = [
        MediaItem(
            id=new_id(),
            owner_id=owner,
            kind=MediaKind.IMAGE,
            purpose=MediaPurpose.POST,
            status=MediaStatus.READY,
            created_at=STORE_NOW - timedelta(days=days_old),
        )
        for _ in range(count)
    ]
    async with backend.uow() as uow:
        for item in items:
            await uow.media.add(item)
        await uow.commit()
    return [item.id for item in items]


async def test_an_event_reads_back_updates_and_goes(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    written = event(alice.id, password_hash="$argon2id$fake", visibility=EventVisibility.PRIVATE)
    await add_events(backend, written)
    changed = replace(written, title="Renamed", updated_at=STORE_NOW + timedelta(hours=1))
    async with backend.uow() as uow:
        assert await uow.events.get(written.id) == written
        await uow.events.update(changed)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.events.get(written.id) == changed
        assert await uow.events.delete(written.id) is True
        assert await uow.events.delete(written.id) is False
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.events.get(written.id) is None


async def test_search_finds_own_and_public_events_by_title_newest_first(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    unlisted, private = EventVisibility.UNLISTED, EventVisibility.PRIVATE
    concert = event(bob.id, "Konser Jazz", 1)
    hidden = event(bob.id, "Konser Rahasia", 2, visibility=unlisted)
    mine = event(alice.id, "konser kecil", 3, visibility=private)
    other = event(bob.id, "Wisuda", 4)
    literal = event(bob.id, "100% Konser_", 5)
    await add_events(backend, concert, hidden, mine, other, literal)
    async with backend.uow() as uow:
        found = await uow.events.search(alice.id, "KONSER", PageRequest(2))
        assert found.items == [literal, mine] and found.next_cursor == Cursor(
            mine.created_at, mine.id
        )
        rest = await uow.events.search(alice.id, "konser", PageRequest(2, found.next_cursor))
        assert rest.items == [concert] and rest.next_cursor is None
        assert (await uow.events.search(alice.id, "% konser_", PageRequest())).items == [literal]
        assert (await uow.events.search(alice.id, "_", PageRequest())).items == [literal]
        everything = await uow.events.search(bob.id, "", PageRequest())
        assert everything.items == [literal, other, hidden, concert]


async def test_photos_keep_upload_order_and_belong_to_one_event(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    album, other = event(alice.id), event(alice.id, "Other")
    await add_events(backend, album, other)
    first, second = await add_media(backend, alice.id, 3), await add_media(backend, alice.id, 2)
    async with backend.uow() as uow:
        await uow.events.add_photos(album.id, first, STORE_NOW)
        await uow.events.add_photos(album.id, [*second, first[0]], STORE_NOW)  # first[0] stays
        await uow.commit()
    order = [*first, *second]
    async with backend.uow() as uow:
        assert await uow.events.photo_ids(album.id) == order
        page = await uow.events.photos(album.id, PageRequest(3))
        assert [p.media_id for p in page.items] == order[:3]
        assert [p.position for p in page.items] == [1, 2, 3]
        assert page.next_cursor == RankCursor(3, order[2])
        rest = await uow.events.photos(album.id, PageRequest(3, page.next_cursor))
        assert [p.media_id for p in rest.items] == order[3:] and rest.next_cursor is None
        found = await uow.events.events_of([first[1], new_id()])
        assert list(found) == [first[1]] and found[first[1]].event_id == album.id
        assert await uow.events.remove_photos(other.id, first) == []
        assert sorted(await uow.events.remove_photos(album.id, [first[1], new_id()])) == [first[1]]
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.events.photo_ids(album.id) == [order[0], *order[2:]]


async def test_access_is_granted_once_and_revoked_for_everyone(backend: Backend) -> None:
    alice, bob, carol = await users(backend, "alice", "bob", "carol")
    album, other = event(alice.id), event(alice.id)
    await add_events(backend, album, other)
    async with backend.uow() as uow:
        await uow.events.grant(bob.id, album.id, STORE_NOW)
        await uow.events.grant(bob.id, album.id, STORE_NOW)
        await uow.events.grant(carol.id, album.id, STORE_NOW)
        await uow.events.grant(bob.id, other.id, STORE_NOW)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.events.granted(bob.id, [album.id, other.id, new_id()]) == {
            album.id,
            other.id,
        }
        await uow.events.revoke_all(album.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.events.granted(bob.id, [album.id, other.id]) == {other.id}
        assert await uow.events.granted(carol.id, [album.id]) == set()


async def test_recently_opened_keeps_the_latest_and_moves_reopened_to_the_top(
    backend: Backend,
) -> None:
    alice, bob = await users(backend, "alice", "bob")
    albums = [event(alice.id, f"E{i}", i) for i in range(4)]
    await add_events(backend, *albums)
    async with backend.uow() as uow:
        for i, album in enumerate(albums):
            await uow.events.record_opened(bob.id, album.id, STORE_NOW + timedelta(minutes=i), 3)
        await uow.events.record_opened(bob.id, albums[1].id, STORE_NOW + timedelta(hours=1), 3)
        await uow.commit()
    async with backend.uow() as uow:
        page = await uow.events.recent(bob.id, PageRequest(2))
        assert [r.event for r in page.items] == [albums[1], albums[3]]
        assert page.items[0].opened_at == STORE_NOW + timedelta(hours=1)
        rest = await uow.events.recent(bob.id, PageRequest(2, page.next_cursor))
        assert [r.event for r in rest.items] == [albums[2]] and rest.next_cursor is None
        assert (await uow.events.recent(alice.id, PageRequest())).items == []


async def test_the_collection_is_bulk_added_removed_and_paged(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    album = event(alice.id)
    await add_events(backend, album)
    photos = await add_media(backend, alice.id, 3)
    later = STORE_NOW + timedelta(minutes=1)
    async with backend.uow() as uow:
        await uow.events.add_photos(album.id, photos, STORE_NOW)
        assert await uow.events.bookmark(bob.id, photos[:2], STORE_NOW) == 2
        assert await uow.events.bookmark(bob.id, photos, later) == 1
        await uow.commit()
    async with backend.uow() as uow:
        page = await uow.events.collection(bob.id, PageRequest(2))
        assert [s.photo.media_id for s in page.items] == [photos[2], max(photos[:2])]
        assert page.items[0].saved_at == later and page.items[0].photo.event_id == album.id
        rest = await uow.events.collection(bob.id, PageRequest(2, page.next_cursor))
        assert [s.photo.media_id for s in rest.items] == [min(photos[:2])]
        assert await uow.events.unbookmark(bob.id, [photos[0], photos[2], new_id()]) == 2
        await uow.commit()
    async with backend.uow() as uow:
        left = await uow.events.collection(bob.id, PageRequest())
        assert [s.photo.media_id for s in left.items] == [photos[1]]


async def test_an_event_takes_its_photos_access_recent_and_bookmarks(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    album, kept = event(alice.id), event(alice.id)
    await add_events(backend, album, kept)
    photos, others = await add_media(backend, alice.id, 2), await add_media(backend, alice.id, 1)
    async with backend.uow() as uow:
        await uow.events.add_photos(album.id, photos, STORE_NOW)
        await uow.events.add_photos(kept.id, others, STORE_NOW)
        await uow.events.grant(bob.id, album.id, STORE_NOW)
        await uow.events.record_opened(bob.id, album.id, STORE_NOW, 10)
        await uow.events.bookmark(bob.id, [*photos, *others], STORE_NOW)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.events.delete(album.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.events.events_of(photos) == {}
        assert await uow.events.granted(bob.id, [album.id]) == set()
        assert (await uow.events.recent(bob.id, PageRequest())).items == []
        saved = await uow.events.collection(bob.id, PageRequest())
        assert [s.photo.media_id for s in saved.items] == others
        assert set(await uow.media.get_many(photos)) == set(photos)  # media: the caller's job
        await uow.media.delete(others[0])  # a media item takes its photo and bookmarks
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.events.photo_ids(kept.id) == []
        assert (await uow.events.collection(bob.id, PageRequest())).items == []


async def test_event_photos_are_never_collected_as_unattached_media(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    album = event(alice.id)
    await add_events(backend, album)
    in_event, loose = (
        await add_media(backend, alice.id, 1, days_old=3),
        await add_media(backend, alice.id, 1, days_old=3),
    )
    async with backend.uow() as uow:
        await uow.events.add_photos(album.id, in_event, STORE_NOW)
        await uow.commit()
    async with backend.uow() as uow:
        stale = await uow.media.unattached_before(STORE_NOW - timedelta(days=1), 10)
        in_albums = await uow.media.album_photos([*in_event, *loose, new_id()])
        assert await uow.media.album_photos([]) == set()
    assert [m.id for m in stale] == loose
    assert in_albums == set(in_event)  # what a post may not take
