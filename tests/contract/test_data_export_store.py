"""The data-export port on the fake and on PostgreSQL: one pending export per owner, exports
read back as written, listed per owner newest first, the expiry sweep's selection, and the
export source's event sections (albums, their photos, the collection, opened events, access)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

import pytest

from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.domain.events.model import Event, EventPhoto, EventVisibility, SavedPhoto
from social.domain.lifecycle.data_export import DataExport, ExportStatus
from social.domain.lifecycle.export_ports import EventEdge, Keyset
from social.domain.media.model import MediaItem, MediaKind, MediaPurpose, MediaStatus
from social.domain.shared.errors import Conflict
from social.domain.shared.ids import new_id
from tests.conftest import TEST_SECRET
from tests.contract.stores import make_user
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
WEEK = timedelta(days=7)
MINUTE = timedelta(minutes=1)
Uow = Callable[[], Any]
T = TypeVar("T")
Keyset_of = Callable[[T], Keyset]


@pytest.fixture(params=["fake", "postgres"])
def uow(request: pytest.FixtureRequest) -> Uow:
    if request.param == "fake":
        store = AccountsStore()
        return lambda: InMemoryUnitOfWork(store)
    database = request.getfixturevalue("database")
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    return lambda: SqlaUnitOfWork(database.sessions, cipher)


def export(owner_id: Any, created_at: datetime, status: ExportStatus) -> DataExport:
    export_id = new_id()
    return DataExport(
        id=export_id,
        owner_id=owner_id,
        status=status,
        created_at=created_at,
        expires_at=created_at + WEEK,
        object_key=f"exports/{owner_id}/{export_id}/k.zip",
    )


async def test_one_pending_export_per_owner_then_read_back_and_listed(uow: Uow) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    first = export(alice.id, NOW, ExportStatus.PENDING)
    async with uow() as tx:
        await tx.users.add(alice)
        await tx.users.add(bob)
        await tx.exports.add(first)
        await tx.exports.add(export(bob.id, NOW, ExportStatus.PENDING))  # another owner's
        await tx.commit()
    async with uow() as tx:
        with pytest.raises(Conflict):
            await tx.exports.add(export(alice.id, NOW + timedelta(minutes=1), ExportStatus.PENDING))
    ready = replace(
        first, status=ExportStatus.READY, size_bytes=42, finished_at=NOW + timedelta(minutes=2)
    )
    second = export(alice.id, NOW + timedelta(hours=1), ExportStatus.PENDING)
    async with uow() as tx:
        assert await tx.exports.get(first.id, for_update=True) == first
        await tx.exports.update(ready)
        await tx.exports.add(second)  # no longer pending: allowed
        await tx.commit()
    async with uow() as tx:
        assert await tx.exports.get(first.id) == ready
        assert await tx.exports.list_for(alice.id, 10) == [second, ready]
        assert await tx.exports.list_for(alice.id, 1) == [second]
        assert [e.owner_id for e in await tx.exports.list_for(bob.id, 10)] == [bob.id]


async def test_the_sweep_finds_expired_ready_and_stale_pending_exports_oldest_first(
    uow: Uow,
) -> None:
    owners = [make_user(name) for name in ("a1", "a2", "a3", "a4")]
    expired = export(owners[0].id, NOW - 2 * WEEK, ExportStatus.READY)
    live = export(owners[1].id, NOW - timedelta(days=1), ExportStatus.READY)
    stale = export(owners[2].id, NOW - timedelta(days=3), ExportStatus.PENDING)
    fresh = export(owners[3].id, NOW - timedelta(hours=1), ExportStatus.PENDING)
    async with uow() as tx:
        for owner in owners:
            await tx.users.add(owner)
        for item in (expired, live, stale, fresh):
            await tx.exports.add(item)
        await tx.commit()
    async with uow() as tx:
        found = await tx.exports.expiring(NOW, NOW - timedelta(days=1), 10)
        assert found == [expired, stale]
        assert await tx.exports.expiring(NOW, NOW - timedelta(days=1), 1) == [expired]


async def walk(
    fetch: Callable[[Keyset | None, int], Awaitable[list[T]]], keyset: Keyset_of[T]
) -> list[T]:
    """Every row, a page of one at a time: each keyset must start right after the last row."""
    rows: list[T] = []
    while page := await fetch(keyset(rows[-1]) if rows else None, 1):
        rows.extend(page)
    return rows


def media(owner_id: UUID) -> MediaItem:
    return MediaItem(
        id=new_id(),
        owner_id=owner_id,
        kind=MediaKind.IMAGE,
        purpose=MediaPurpose.POST,
        status=MediaStatus.READY,
        created_at=NOW,
    )


def album(owner_id: UUID, created_at: datetime, password_hash: str | None = None) -> Event:
    return Event(
        id=new_id(),
        owner_id=owner_id,
        title=f"album {created_at:%H:%M}",
        event_date=date(2026, 11, 28),
        visibility=EventVisibility.UNLISTED,
        password_hash=password_hash,
        created_at=created_at,
        updated_at=created_at + timedelta(seconds=30),
    )


async def test_the_event_sections_of_an_export_are_the_users_rows_in_keyset_order(
    uow: Uow,
) -> None:
    """Albums by creation, their photos by addition, the collection by bookmark time, opened
    events and access grants by their time; another user's rows never leak in, and paging a
    row at a time loses nothing."""
    alice, bob = make_user("alice"), make_user("bob")
    first, second = album(alice.id, NOW, "argon2-hash"), album(alice.id, NOW + MINUTE)
    bobs = album(bob.id, NOW + 2 * MINUTE)
    m1, m2, m3 = media(alice.id), media(alice.id), media(alice.id)
    mb = media(bob.id)
    async with uow() as tx:
        for user in (alice, bob):
            await tx.users.add(user)
        for event in (second, first, bobs):
            await tx.events.add(event)
        for item in (m1, m2, m3, mb):
            await tx.media.add(item)
        await tx.events.add_photos(first.id, [m1.id, m2.id], NOW + 3 * MINUTE)
        await tx.events.add_photos(bobs.id, [mb.id], NOW + 3 * MINUTE)
        await tx.events.add_photos(second.id, [m3.id], NOW + 4 * MINUTE)
        await tx.events.record_opened(alice.id, bobs.id, NOW + 5 * MINUTE, 50)
        await tx.events.grant(alice.id, bobs.id, NOW + 5 * MINUTE)
        await tx.events.record_opened(alice.id, first.id, NOW + 6 * MINUTE, 50)
        await tx.events.bookmark(alice.id, [mb.id], NOW + 7 * MINUTE)
        await tx.events.bookmark(alice.id, [m1.id], NOW + 8 * MINUTE)
        await tx.events.bookmark(bob.id, [m3.id], NOW + 8 * MINUTE)
        await tx.commit()

    in_first = [
        EventPhoto(m1.id, first.id, 1, NOW + 3 * MINUTE),
        EventPhoto(m2.id, first.id, 2, NOW + 3 * MINUTE),
    ]
    photos = [
        *sorted(in_first, key=lambda p: p.media_id),  # added at once: by media id
        EventPhoto(m3.id, second.id, 1, NOW + 4 * MINUTE),
    ]
    bobs_photo = EventPhoto(mb.id, bobs.id, 1, NOW + 3 * MINUTE)
    async with uow() as tx:
        src = tx.export_source

        def of(method: Any, user_id: UUID) -> Callable[[Keyset | None, int], Awaitable[Any]]:
            return lambda after, limit: method(user_id, after, limit)

        assert await src.events(alice.id, None, 10) == [first, second]
        assert await walk(of(src.events, alice.id), lambda e: (e.created_at, e.id)) == [
            first,
            second,
        ]
        assert await src.event_photos(alice.id, None, 10) == photos
        by_added: Keyset_of[EventPhoto] = lambda p: (p.added_at, p.media_id)  # noqa: E731
        assert await walk(of(src.event_photos, alice.id), by_added) == photos
        saved = [
            SavedPhoto(bobs_photo, NOW + 7 * MINUTE),
            SavedPhoto(in_first[0], NOW + 8 * MINUTE),
        ]
        assert await src.saved_photos(alice.id, None, 10) == saved
        by_saved: Keyset_of[SavedPhoto] = lambda s: (s.saved_at, s.photo.media_id)  # noqa: E731
        assert await walk(of(src.saved_photos, alice.id), by_saved) == saved
        recent = [EventEdge(bobs.id, NOW + 5 * MINUTE), EventEdge(first.id, NOW + 6 * MINUTE)]
        by_at: Keyset_of[EventEdge] = lambda e: (e.at, e.event_id)  # noqa: E731
        assert await src.recent_events(alice.id, None, 10) == recent
        assert await walk(of(src.recent_events, alice.id), by_at) == recent
        assert await src.event_access(alice.id, None, 10) == [recent[0]]

        assert await src.events(bob.id, None, 10) == [bobs]
        assert await src.event_photos(bob.id, None, 10) == [bobs_photo]
        assert [s.photo.media_id for s in await src.saved_photos(bob.id, None, 10)] == [m3.id]
        assert await src.recent_events(bob.id, None, 10) == []
        assert await src.event_access(bob.id, None, 10) == []
