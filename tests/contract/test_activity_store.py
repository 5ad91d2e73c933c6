"""One suite for the ``ApiClientRepository`` and ``ActivityRepository`` ports, on the fake and on
PostgreSQL: unique names, lookups by key hash, revocation; batches of entries, counts per
client and UTC day, the top clients, and deletion of old entries in bounded batches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.adapters.postgres.read_pool import ReadPool
from social.domain.activity.model import ActivityEntry, ApiClient, hash_api_key
from social.domain.shared.errors import Conflict
from social.domain.shared.ids import new_id
from tests.contract.stores import Backend, postgres_backend

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
MIDNIGHT = datetime(2026, 3, 10, tzinfo=UTC)


def api_client(name: str, key: str, created_at: datetime = NOW) -> ApiClient:
    return ApiClient(new_id(), name, key[:9], hash_api_key(key), created_at)


def entry(client: UUID | None, at: datetime, user: UUID | None = None) -> ActivityEntry:
    return ActivityEntry(client, user, "GET", "/api/v1/users/{username}", 200, 12.5, at)


async def add_clients(backend: Backend, *clients: ApiClient) -> None:
    async with backend.uow() as uow:
        for client in clients:
            await uow.api_clients.add(client)
        await uow.commit()


async def add_entries(backend: Backend, entries: list[ActivityEntry]) -> None:
    async with backend.uow() as uow:
        await uow.activity.add_many(entries)
        await uow.commit()


async def test_clients_by_id_and_key_hash_oldest_first(backend: Backend) -> None:
    later = api_client("web", "sk_web-key", NOW + timedelta(seconds=1))
    first = api_client("mobile", "sk_mobile-key")
    await add_clients(backend, later, first)
    async with backend.uow() as uow:
        assert await uow.api_clients.get(first.id) == first
        assert await uow.api_clients.by_key_hash(hash_api_key("sk_web-key")) == later
        assert await uow.api_clients.by_key_hash(hash_api_key("sk_nope")) is None
        assert await uow.api_clients.get(new_id()) is None
        assert await uow.api_clients.all() == [first, later]


async def test_names_are_unique(backend: Backend) -> None:
    await add_clients(backend, api_client("mobile", "sk_one"))
    with pytest.raises(Conflict) as conflict:
        await add_clients(backend, api_client("mobile", "sk_two"))
    assert conflict.value.field == "name"
    async with backend.uow() as uow:
        assert [c.name for c in await uow.api_clients.all()] == ["mobile"]


async def test_revoking_sets_the_time_once(backend: Backend) -> None:
    client = api_client("mobile", "sk_one")
    await add_clients(backend, client)
    outcomes = []
    for at in (NOW + timedelta(hours=1), NOW + timedelta(hours=2)):
        async with backend.uow() as uow:
            outcomes.append(await uow.api_clients.revoke(client.id, at))
            await uow.commit()
    async with backend.uow() as uow:
        assert not await uow.api_clients.revoke(new_id(), NOW)  # no such client
        revoked = await uow.api_clients.by_key_hash(client.key_hash)
    assert outcomes == [True, False]
    assert revoked is not None and revoked.revoked_at == NOW + timedelta(hours=1)
    assert not revoked.active


async def test_entries_are_counted_per_client_and_utc_day(backend: Backend) -> None:
    a, b, user = new_id(), new_id(), new_id()
    since = MIDNIGHT - timedelta(days=6)
    await add_entries(
        backend,
        [
            entry(a, NOW, user),
            entry(a, MIDNIGHT),
            entry(a, MIDNIGHT - timedelta(microseconds=1)),
            entry(a, since),
            entry(a, since - timedelta(microseconds=1)),  # before the window
            entry(b, MIDNIGHT - timedelta(days=2)),
            entry(b, MIDNIGHT - timedelta(days=2) + timedelta(hours=23, minutes=59)),
            entry(None, NOW, user),  # no client: never counted
            entry(a, datetime(2026, 3, 10, 6, tzinfo=timezone(timedelta(hours=7)))),  # 9th, UTC
        ],
    )
    async with backend.uow() as uow:
        assert await uow.activity.daily_counts(since) == {
            (a, date(2026, 3, 10)): 2,
            (a, date(2026, 3, 9)): 2,
            (a, date(2026, 3, 4)): 1,
            (b, date(2026, 3, 8)): 2,
        }
        assert await uow.activity.daily_counts(since, b) == {(b, date(2026, 3, 8)): 2}
        assert await uow.activity.daily_counts(since, new_id()) == {}


async def test_the_top_clients_since_an_instant(backend: Backend) -> None:
    ids = sorted([new_id() for _ in range(4)])
    since = NOW - timedelta(hours=24)
    entries = [entry(ids[0], NOW) for _ in range(2)]
    entries += [entry(ids[1], since) for _ in range(5)]
    entries += [entry(ids[2], NOW) for _ in range(2)]  # ties with ids[0]: after it
    entries += [entry(ids[3], NOW)]
    entries += [entry(ids[3], since - timedelta(seconds=1)) for _ in range(10)]
    entries += [entry(None, NOW) for _ in range(20)]
    await add_entries(backend, entries)
    async with backend.uow() as uow:
        assert await uow.activity.top_clients(since, 3) == [(ids[1], 5), (ids[0], 2), (ids[2], 2)]
        assert await uow.activity.top_clients(NOW + timedelta(seconds=1), 3) == []


async def test_old_entries_are_deleted_in_bounded_batches(backend: Backend) -> None:
    cutoff = NOW - timedelta(days=30)
    old = [entry(new_id(), cutoff - timedelta(seconds=s + 1)) for s in range(5)]
    await add_entries(backend, [*old, entry(None, cutoff), entry(new_id(), NOW)])
    removed = []
    for _ in range(4):
        async with backend.uow() as uow:
            removed.append(await uow.activity.delete_before(cutoff, 2))
            await uow.commit()
    assert removed == [2, 2, 1, 0]
    async with backend.uow() as uow:
        assert len(await uow.activity.daily_counts(cutoff - timedelta(days=1))) == 1


async def test_a_batch_is_rolled_back_with_its_transaction(backend: Backend) -> None:
    async with backend.uow() as uow:
        await uow.activity.add_many([entry(new_id(), NOW)])
    async with backend.uow() as uow:
        assert await uow.activity.daily_counts(MIDNIGHT) == {}


@pytest.fixture
def postgres(database: Database, read_pool: ReadPool) -> Backend:
    return postgres_backend(database, read_pool)


async def test_rows_hold_what_the_entry_says(postgres: Backend) -> None:
    """PostgreSQL only: the stored columns themselves."""
    backend = postgres
    assert backend.database is not None
    client, user = new_id(), new_id()
    await add_entries(
        backend,
        [ActivityEntry(client, user, "POST", "/api/v1/posts", 201, 3.25, NOW), entry(None, NOW)],
    )
    async with backend.database.engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT client_id, user_id, method, route, status, latency_ms, created_at"
                    " FROM api_activity ORDER BY id"
                )
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (client, user, "POST", "/api/v1/posts", 201, 3.25, NOW),
        (None, None, "GET", "/api/v1/users/{username}", 200, 12.5, NOW),
    ]
