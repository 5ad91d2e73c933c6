"""What moderation needs from storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from social.domain.accounts.ports import SessionRepository
from social.domain.moderation.model import AuditEntry, Report, ReportStatus, TargetType
from social.domain.notifications.ports import NotificationsUnitOfWork
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["AuditLog", "ModerationUnitOfWork", "ReportRepository"]


class ReportRepository(Protocol):
    async def add(self, report: Report) -> None: ...

    async def get(self, report_id: UUID) -> Report | None: ...

    async def open_by(
        self, reporter_id: UUID, target_type: TargetType, target_id: UUID
    ) -> Report | None:
        """The reporter's report of this target still open, if any (no duplicates)."""
        ...

    async def resolve(self, report: Report) -> None:
        """Write back the status, resolution, note and who resolved it when."""
        ...

    async def queue(self, status: ReportStatus, page: PageRequest[Cursor]) -> Page[Report, Cursor]:
        """Reports of that status; open ones oldest first (a queue), resolved newest first."""
        ...


class AuditLog(Protocol):
    """Append-only: there is no way to change or remove an entry."""

    async def append(self, entry: AuditEntry) -> None: ...

    async def page(self, page: PageRequest[Cursor]) -> Page[AuditEntry, Cursor]:
        """Newest first."""
        ...


class ModerationUnitOfWork(NotificationsUnitOfWork, Protocol):
    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    @property
    def audit(self) -> AuditLog: ...


ModerationUnitOfWorkFactory = Callable[[], ModerationUnitOfWork]
