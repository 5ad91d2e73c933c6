"""In-memory API clients, activity repository and activity log."""

from __future__ import annotations

from collections import Counter, deque
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
    """Keeps every recorded entry in ``entries`` (for assertions). With a unit of work it also
    writes like ``BufferedActivityLog``: a bounded buffer (when full the oldest entry is pushed
    out and counted in ``dropped``) that ``flush`` and ``close`` write through the unit of work;
    a failed write keeps the batch for the next flush. Nothing runs in the background."""

    def __init__(
        self, uow: Callable[[], ActivityUnitOfWork] | None = None, *, max_entries: int = 50_000
    ) -> None:
        self._uow = uow
        self.entries: list[ActivityEntry] = []
        self._buffer: deque[ActivityEntry] = deque(maxlen=max_entries)
        self.dropped = 0
        self.written = 0

    def __len__(self) -> int:
        """Entries waiting to be written."""
        return len(self._buffer)

    def record(self, entry: ActivityEntry) -> None:
        self.entries.append(entry)
        if self._uow is None:
            return  # nowhere to write to: kept for assertions only
        if len(self._buffer) == self._buffer.maxlen:
            self.dropped += 1
        self._buffer.append(entry)

    def start(self) -> None:
        return None

    async def flush(self) -> None:
        if self._uow is None or not self._buffer:
            return
        batch = list(self._buffer)
        self._buffer.clear()
        try:
            async with self._uow() as uow:
                await uow.activity.add_many(batch)
                await uow.commit()
        except BaseException:
            self._buffer.extendleft(reversed(batch))
            raise
        self.written += len(batch)

    async def close(self) -> None:
        await self.flush()
