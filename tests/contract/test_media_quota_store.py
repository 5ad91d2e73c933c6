"""The storage quota's bookkeeping in the media store (fake and PostgreSQL): each item's
``size_bytes`` is kept, an owner's items are summed, and on PostgreSQL the sum is taken under a
per-owner lock held to the end of the transaction, so concurrent uploads cannot both fit into
the same room."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from social.domain.accounts.model import User
from social.domain.media.errors import StorageQuotaExceeded
from social.domain.media.model import (
    MediaItem,
    MediaKind,
    MediaLimits,
    MediaPurpose,
    MediaStatus,
)
from social.domain.media.presigned_upload import RequestUpload
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.ids import new_id
from tests.contract.stores import Backend, backend, users
from tests.fakes.media import InMemoryMediaStorage
from tests.fakes.shared import MutableClock

__all__ = ["backend"]

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def item(owner: User, size: int, status: MediaStatus = MediaStatus.PROCESSING) -> MediaItem:
    return MediaItem(
        id=new_id(),
        owner_id=owner.id,
        kind=MediaKind.IMAGE,
        purpose=MediaPurpose.POST,
        status=status,
        created_at=NOW,
        size_bytes=size,
    )


async def test_sizes_are_kept_and_summed_per_owner(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    pending, ready = item(alice, 600), item(alice, 250, MediaStatus.READY)
    async with backend.uow() as uow:
        for made in (pending, ready, item(bob, 999)):
            await uow.media.add(made)
        await uow.commit()

    async with backend.uow() as uow:
        assert (await uow.media.get(pending.id)) == pending
        assert await uow.media.lock_stored_bytes(alice.id) == 850
        await uow.media.update(replace(pending, status=MediaStatus.FAILED, size_bytes=0))
        await uow.media.delete(ready.id)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.media.lock_stored_bytes(alice.id) == 0
        assert await uow.media.lock_stored_bytes(bob.id) == 999
        assert await uow.media.lock_stored_bytes(new_id()) == 0


async def test_the_owner_stays_locked_until_the_transaction_ends(backend: Backend) -> None:
    if backend.database is None:
        pytest.skip("the fake runs one use case at a time")
    (alice,) = await users(backend, "alice")
    async with backend.uow() as first:
        assert await first.media.lock_stored_bytes(alice.id) == 0

        async def second_look() -> int:
            async with backend.uow() as second:
                return await second.media.lock_stored_bytes(alice.id)

        waiting = asyncio.create_task(second_look())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # blocked behind the first transaction
        await first.media.add(item(alice, 700))
        await first.commit()
    assert await asyncio.wait_for(waiting, 10) == 700  # and then it counts the new row


async def test_concurrent_requests_cannot_squeeze_past_the_quota(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    viewer = Viewer(user_id=alice.id, role=Role.USER, session_id=new_id())
    request = RequestUpload(
        uow=backend.uow,
        storage=InMemoryMediaStorage(),
        clock=MutableClock(NOW),
        limits=MediaLimits(storage_quota_bytes=1000),
    )

    async def one() -> bool:
        try:
            await request.execute(viewer, kind=MediaKind.IMAGE, content_type="image/png", size=600)
        except StorageQuotaExceeded:
            return False
        return True

    outcomes = await asyncio.gather(*(one() for _ in range(8)))

    assert sorted(outcomes) == [False] * 7 + [True]
    async with backend.uow() as uow:
        assert await uow.media.lock_stored_bytes(alice.id) == 600
