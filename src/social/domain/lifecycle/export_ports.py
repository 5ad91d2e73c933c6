"""What data exports need: their rows, a paged read of everything an account holds, and the
transaction both are used in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.accounts.oidc_ports import OidcIdentityRepository
from social.domain.accounts.ports import UserRepository
from social.domain.events.model import Event, EventPhoto, SavedPhoto
from social.domain.lifecycle.data_export import DataExport
from social.domain.media.ports import MediaRepository
from social.domain.posts.model import Post
from social.domain.reads.model import Comment
from social.domain.shared.ports import UnitOfWork

__all__ = [
    "AccountEdge",
    "DataExportRepository",
    "EventEdge",
    "ExportSource",
    "ExportUnitOfWork",
    "ExportUnitOfWorkFactory",
    "Keyset",
    "PostEdge",
]

Keyset = tuple[datetime, UUID]
"""Where a page ends: the last row's ``(created_at, id)`` (or the time and id a list is ordered
by, as its method says); the next page starts after it."""


@dataclass(frozen=True, slots=True)
class PostEdge:
    """A like or a bookmark of the exporting user."""

    id: UUID
    post_id: UUID
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AccountEdge:
    """A follower or a followed account of the exporting user."""

    id: UUID
    user_id: UUID
    username: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EventEdge:
    """An event the exporting user opened recently, or was let into by its password."""

    event_id: UUID
    at: datetime


class DataExportRepository(Protocol):
    async def add(self, export: DataExport) -> None:
        """Raises ``Conflict`` when the owner already has a pending export (the database
        holds that rule, so two requests at once cannot both pass)."""
        ...

    async def get(self, export_id: UUID, *, for_update: bool = False) -> DataExport | None: ...

    async def update(self, export: DataExport) -> None: ...

    async def list_for(self, owner_id: UUID, limit: int) -> list[DataExport]:
        """The owner's exports, newest first."""
        ...

    async def expiring(self, now: datetime, stale_before: datetime, limit: int) -> list[DataExport]:
        """Ready exports whose ``expires_at`` has passed and pending ones created before
        ``stale_before``, oldest first."""
        ...


class ExportSource(Protocol):
    """Everything an account holds, a page at a time in ``(created_at, id)`` order, so an
    archive of any size is read in bounded memory."""

    async def posts(self, author_id: UUID, after: Keyset | None, limit: int) -> list[Post]: ...

    async def comments(
        self, author_id: UUID, after: Keyset | None, limit: int
    ) -> list[Comment]: ...

    async def likes(self, user_id: UUID, after: Keyset | None, limit: int) -> list[PostEdge]: ...

    async def bookmarks(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[PostEdge]: ...

    async def followers(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[AccountEdge]: ...

    async def following(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[AccountEdge]: ...

    async def events(self, owner_id: UUID, after: Keyset | None, limit: int) -> list[Event]:
        """The event albums the user organises."""
        ...

    async def event_photos(
        self, owner_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventPhoto]:
        """The photos of those albums, in ``(added_at, media_id)`` order."""
        ...

    async def saved_photos(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[SavedPhoto]:
        """The user's collection, in ``(saved_at, media_id)`` order."""
        ...

    async def recent_events(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventEdge]:
        """The events the user opened lately, in ``(at, event_id)`` order."""
        ...

    async def event_access(
        self, user_id: UUID, after: Keyset | None, limit: int
    ) -> list[EventEdge]:
        """The events whose password the user gave, in ``(at, event_id)`` order."""
        ...


class ExportUnitOfWork(UnitOfWork, Protocol):
    """The transaction the export use cases work in."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def media(self) -> MediaRepository: ...

    @property
    def exports(self) -> DataExportRepository: ...

    @property
    def export_source(self) -> ExportSource: ...

    @property
    def oidc_identities(self) -> OidcIdentityRepository: ...


ExportUnitOfWorkFactory = Callable[[], ExportUnitOfWork]
