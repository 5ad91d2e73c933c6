"""In-memory API clients, activity repository and activity log."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.activity.model import ActivityEntry, ApiClient
from social.domain.activity.ports import ActivityUnitOfWork
from social.domain.shared.errors import Conflict

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryActivityLog", "InMemoryActivityRepository", "InMemoryApiClientRepository"]


class InMemoryApiClientRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add(self, client: ApiClient) -> None:
        if any(c.name == client.name for c in self._w.api_clients.values()):
            raise Conflict("A client with this name exists.", field="name")
        self._w.api_clients[client.id] = client

    async def get(self, client_id: UUID) -> ApiClient | None:
        return self._w.api_clients.get(client_id)

    async def by_key_hash(self, key_hash: bytes) -> ApiClient | None:
        return next((c for c in self._w.api_clients.values() if c.key_hash == key_hash), None)

    async def all(self) -> list[ApiClient]:
        return sorted(self._w.api_clients.values(), key=lambda c: (c.created_at, c.id))

    async def revoke(self, client_id: UUID, at: datetime) -> bool:
        client = self._w.api_clients.get(client_id)
        if client is None or client.revoked_at is not None:
            return False
        self._w.api_clients[client_id] = replace(client, revoked_at=at)
        return True


class InMemoryActivityRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add_many(self, entries: Sequence[ActivityEntry]) -> None:
        self._w.activity.extend(entries)

    async def daily_counts(
        self, since: datetime, client_id: UUID | None = None
    ) -> dict[tuple[UUID, date], int]:
        counts: Counter[tuple[UUID, date]] = Counter(
            (e.client_id, e.at.astimezone(UTC).date())
            for e in self._w.activity
            if e.client_id is not None
            and e.at >= since
            and (client_id is None or e.client_id == client_id)
        )
        return dict(counts)

    async def top_clients(self, since: datetime, limit: int) -> list[tuple[UUID, int]]:
        counts = Counter(
            e.client_id for e in self._w.activity if e.client_id is not None and e.at >= since
        )
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]

    async def delete_before(self, cutoff: datetime, limit: int) -> int:
        old = [i for i, e in enumerate(self._w.activity) if e.at < cutoff][:limit]
        for index in reversed(old):
            del self._w.activity[index]
        return len(old)


class InMemoryActivityLog:
    """Keeps every recorded entry in ``entries`` (for assertions); with a unit of work,
    ``flush`` writes the ones not yet written through it, as the real writer does."""

    def __init__(self, uow: Callable[[], ActivityUnitOfWork] | None = None) -> None:
        self._uow = uow
        self.entries: list[ActivityEntry] = []
        self._written = 0

    def record(self, entry: ActivityEntry) -> None:
        self.entries.append(entry)

    async def flush(self) -> None:
        batch = self.entries[self._written :]
        if self._uow is None or not batch:
            return
        async with self._uow() as uow:
            await uow.activity.add_many(batch)
            await uow.commit()
        self._written += len(batch)
