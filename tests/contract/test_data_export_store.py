"""The data-export port on the fake and on PostgreSQL: one pending export per owner, exports
read back as written, listed per owner newest first, and the expiry sweep's selection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.domain.lifecycle.data_export import DataExport, ExportStatus
from social.domain.shared.errors import Conflict
from social.domain.shared.ids import new_id
from tests.conftest import TEST_SECRET
from tests.contract.stores import make_user
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
WEEK = timedelta(days=7)
Uow = Callable[[], Any]


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
