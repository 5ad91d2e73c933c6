"""What API clients and the activity log need from the outside world."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from social.domain.activity.model import ActivityEntry, ApiClient
from social.domain.moderation.ports import AuditLog
from social.domain.shared.ports import UnitOfWork

__all__ = [
    "ActivityLog",
    "ActivityRepository",
    "ActivityUnitOfWork",
    "ActivityUnitOfWorkFactory",
    "ApiClientRepository",
]


class ActivityLog(Protocol):
    """Where the HTTP edge drops one entry per request. ``record`` is synchronous and never
    blocks or fails: an implementation buffers and writes later, off the request path."""

    def record(self, entry: ActivityEntry) -> None: ...


class ApiClientRepository(Protocol):
    async def add(self, client: ApiClient) -> None:
        """Raises ``Conflict`` (field ``name``) when another client has that name."""
        ...

    async def get(self, client_id: UUID) -> ApiClient | None: ...

    async def by_key_hash(self, key_hash: bytes) -> ApiClient | None:
        """The client whose key has this hash, revoked or not."""
        ...

    async def all(self) -> list[ApiClient]:
        """Every client, revoked ones included, oldest first."""
        ...

    async def revoke(self, client_id: UUID, at: datetime) -> bool:
        """Sets ``revoked_at`` unless it is set already; whether this call set it."""
        ...


class ActivityRepository(Protocol):
    async def add_many(self, entries: Sequence[ActivityEntry]) -> None: ...

    async def daily_counts(
        self, since: datetime, client_id: UUID | None = None
    ) -> dict[tuple[UUID, date], int]:
        """Requests since ``since`` per client and UTC day (days without any are absent);
        of one client when ``client_id`` is given; requests without a client are not counted."""
        ...

    async def top_clients(self, since: datetime, limit: int) -> list[tuple[UUID, int]]:
        """The clients with the most requests since ``since``, most first (ties: by id)."""
        ...

    async def delete_before(self, cutoff: datetime, limit: int) -> int:
        """Delete up to ``limit`` entries older than ``cutoff``; how many went."""
        ...


class ActivityUnitOfWork(UnitOfWork, Protocol):
    @property
    def api_clients(self) -> ApiClientRepository: ...

    @property
    def activity(self) -> ActivityRepository: ...

    @property
    def audit(self) -> AuditLog:
        """Registering and revoking a client are admin actions: they are audited."""
        ...


ActivityUnitOfWorkFactory = Callable[[], ActivityUnitOfWork]
