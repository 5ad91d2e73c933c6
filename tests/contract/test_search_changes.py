"""One suite for the search outbox (``SearchChanges``) and the rebuild's ``SearchSyncPause``, on
the fake and on PostgreSQL: changes exist once their transaction commits, are claimed oldest
first a batch at a time, go only when ``done`` commits, wait (``None``) while a rebuild pauses
syncing, and two syncs at once never claim the same change (PostgreSQL only: the fake's units
of work do not lock)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import pytest

from social.adapters.postgres.database import Database
from social.adapters.postgres.search_changes import PostgresSearchSyncPause
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.domain.accounts.ports import AccountsUnitOfWork
from social.domain.search.changes import SearchSyncPause
from social.domain.shared.ids import new_id
from social.domain.shared.search_changes import ChangeKind, SearchChange
from tests.conftest import TEST_SECRET
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork
from tests.fakes.search import InMemorySearchSyncPause


@dataclass
class Outbox:
    uow: Callable[[], AccountsUnitOfWork]
    pause: SearchSyncPause
    locks: bool
    """Whether a claim holds its rows from other transactions (PostgreSQL's SKIP LOCKED)."""


@pytest.fixture(params=["fake", "postgres"])
def outbox(request: pytest.FixtureRequest) -> Outbox:
    if request.param == "fake":
        store, pause = AccountsStore(), InMemorySearchSyncPause()
        return Outbox(lambda: InMemoryUnitOfWork(store, pause), pause, locks=False)
    database: Database = request.getfixturevalue("database")
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    return Outbox(
        lambda: SqlaUnitOfWork(database.sessions, cipher),
        PostgresSearchSyncPause(database.engine),
        locks=True,
    )


async def record(outbox: Outbox, *changes: tuple[ChangeKind, UUID]) -> None:
    async with outbox.uow() as uow:
        for kind, target in changes:
            await uow.search_changes.record(kind, target)
        await uow.commit()


async def claim(outbox: Outbox, limit: int = 100) -> list[SearchChange] | None:
    """What a sync would claim now, let go at once."""
    async with outbox.uow() as uow:
        return await uow.search_changes.claim(limit)


async def backlog(outbox: Outbox) -> int:
    async with outbox.uow() as uow:
        return await uow.search_changes.backlog()


def targets(changes: list[SearchChange] | None) -> list[tuple[ChangeKind, UUID]]:
    assert changes is not None
    return [(c.kind, c.target_id) for c in changes]


def some(count: int) -> list[tuple[ChangeKind, UUID]]:
    kinds = list(ChangeKind)
    return [(kinds[n % len(kinds)], new_id()) for n in range(count)]


async def test_changes_are_claimed_oldest_first_a_batch_at_a_time(outbox: Outbox) -> None:
    first, second = some(3), some(2)
    await record(outbox, *first)
    await record(outbox, *second)
    assert await backlog(outbox) == 5
    assert targets(await claim(outbox, 2)) == first[:2]
    assert targets(await claim(outbox)) == first + second
    claimed = await claim(outbox)
    assert claimed is not None and len({c.id for c in claimed}) == 5


async def test_changes_exist_once_their_transaction_commits(outbox: Outbox) -> None:
    async with outbox.uow() as uow:
        await uow.search_changes.record(ChangeKind.POST, new_id())
    async with outbox.uow() as uow:
        await uow.search_changes.record(ChangeKind.USER, new_id())
        await uow.rollback()
    assert await backlog(outbox) == 0
    assert await claim(outbox) == []


async def test_done_changes_go_when_the_sync_commits(outbox: Outbox) -> None:
    changes = some(4)
    await record(outbox, *changes)
    async with outbox.uow() as uow:
        batch = await uow.search_changes.claim(3)
        assert batch is not None
        await uow.search_changes.done(batch[:2])
        await uow.search_changes.done([])
    assert await backlog(outbox) == 4  # left without commit: nothing went
    async with outbox.uow() as uow:
        batch = await uow.search_changes.claim(3)
        assert batch is not None
        await uow.search_changes.done(batch[:2])
        assert await uow.search_changes.backlog() == 2
        await uow.commit()
    assert await backlog(outbox) == 2
    assert targets(await claim(outbox)) == changes[2:]


async def test_done_with_changes_already_gone_is_harmless(outbox: Outbox) -> None:
    await record(outbox, *some(2))
    claimed = await claim(outbox)
    assert claimed is not None
    for _ in range(2):
        async with outbox.uow() as uow:
            await uow.search_changes.done(claimed)
            await uow.commit()
    assert await backlog(outbox) == 0


async def test_nothing_is_claimed_while_a_rebuild_pauses_syncing(outbox: Outbox) -> None:
    before, during = some(2), some(2)
    await record(outbox, *before)
    async with outbox.pause.paused():
        assert await claim(outbox) is None
        await record(outbox, *during)  # writers never wait for a rebuild
        assert await claim(outbox) is None
        assert await backlog(outbox) == 4
    assert targets(await claim(outbox)) == before + during


async def test_the_pause_ends_even_when_the_rebuild_fails(outbox: Outbox) -> None:
    await record(outbox, *some(1))
    with pytest.raises(RuntimeError):
        async with outbox.pause.paused():
            raise RuntimeError("the rebuild failed")
    assert len(targets(await claim(outbox))) == 1


async def test_two_syncs_at_once_never_claim_the_same_change(outbox: Outbox) -> None:
    if not outbox.locks:
        pytest.skip("the fake's units of work work on copies and hold no rows: two claims at once")
    changes = some(7)
    await record(outbox, *changes)
    async with outbox.uow() as first, outbox.uow() as second:
        mine = await first.search_changes.claim(3)
        theirs = await second.search_changes.claim(10)
        assert targets(mine) == changes[:3] and targets(theirs) == changes[3:]
        assert mine is not None
        await first.search_changes.done(mine)
        await first.commit()
    assert targets(await claim(outbox)) == changes[3:]  # the second let go of its claim
    claimed: list[list[SearchChange] | None] = []

    async def sync() -> None:
        async with outbox.uow() as uow:
            batch = await uow.search_changes.claim(2)
            claimed.append(batch)
            await asyncio.sleep(0.05)  # hold the rows while the others claim
            await uow.search_changes.done(batch or [])
            await uow.commit()

    await asyncio.gather(*(sync() for _ in range(3)))
    ids = [c.id for batch in claimed for c in batch or []]
    assert len(ids) == len(set(ids)) == 4
    assert await backlog(outbox) == 0
