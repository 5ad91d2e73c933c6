"""In-memory reports and audit log, on a unit of work's copy of the store."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.moderation.model import AuditEntry, Report, ReportStatus, TargetType
from social.domain.shared.pagination import Cursor, Page, PageRequest

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryAuditLog", "InMemoryReportRepository"]


class InMemoryReportRepository:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def add(self, report: Report) -> None:
        self._w.reports[report.id] = report

    async def get(self, report_id: UUID) -> Report | None:
        return self._w.reports.get(report_id)

    async def open_by(
        self, reporter_id: UUID, target_type: TargetType, target_id: UUID
    ) -> Report | None:
        return next(
            (
                r
                for r in self._w.reports.values()
                if (r.reporter_id, r.target_type, r.target_id)
                == (reporter_id, target_type, target_id)
                and r.status is ReportStatus.OPEN
            ),
            None,
        )

    async def resolve(self, report: Report) -> None:
        self._w.reports[report.id] = report

    async def queue(self, status: ReportStatus, page: PageRequest[Cursor]) -> Page[Report, Cursor]:
        oldest_first = status is ReportStatus.OPEN
        found = sorted(
            (r for r in self._w.reports.values() if r.status is status),
            key=lambda r: (r.created_at, r.id),
            reverse=not oldest_first,
        )
        if page.after is not None:
            key = (page.after.at, page.after.id)
            found = [
                r
                for r in found
                if ((r.created_at, r.id) > key) == oldest_first and (r.created_at, r.id) != key
            ]
        items = found[: page.limit]
        last = items[-1] if len(found) > page.limit else None
        return Page(items, Cursor(last.created_at, last.id) if last else None)


class InMemoryAuditLog:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def append(self, entry: AuditEntry) -> None:
        self._w.audit.append(entry)

    async def page(self, page: PageRequest[Cursor]) -> Page[AuditEntry, Cursor]:
        found = sorted(self._w.audit, key=lambda e: (e.created_at, e.id), reverse=True)
        if page.after is not None:
            found = [e for e in found if (e.created_at, e.id) < (page.after.at, page.after.id)]
        items = found[: page.limit]
        last = items[-1] if len(found) > page.limit else None
        return Page(items, Cursor(last.created_at, last.id) if last else None)
