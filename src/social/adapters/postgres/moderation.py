"""Reports and the append-only audit log in PostgreSQL."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.keyset import keyset_rows
from social.adapters.postgres.moderation_tables import AuditEntryRow, ReportRow
from social.domain.moderation.model import (
    AuditEntry,
    Report,
    ReportStatus,
    Resolution,
    TargetType,
)
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["SqlaAuditLog", "SqlaReportRepository"]


class SqlaReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, report: Report) -> None:
        self._db.add(
            ReportRow(
                id=report.id,
                reporter_id=report.reporter_id,
                target_type=report.target_type.value,
                target_id=report.target_id,
                target_owner_id=report.target_owner_id,
                reason=report.reason,
                status=report.status.value,
                created_at=report.created_at,
            )
        )
        await self._db.flush()

    async def get(self, report_id: UUID) -> Report | None:
        row = await self._db.get(ReportRow, report_id, with_for_update=True)
        return _report(row) if row else None

    async def open_by(
        self, reporter_id: UUID, target_type: TargetType, target_id: UUID
    ) -> Report | None:
        r = ReportRow
        row = await self._db.scalar(
            select(r).where(
                r.reporter_id == reporter_id,
                r.target_type == target_type.value,
                r.target_id == target_id,
                r.status == ReportStatus.OPEN.value,
            )
        )
        return _report(row) if row else None

    async def resolve(self, report: Report) -> None:
        await self._db.execute(
            update(ReportRow)
            .where(ReportRow.id == report.id)
            .values(
                status=report.status.value,
                resolution=report.resolution.value if report.resolution else None,
                note=report.note,
                resolved_by=report.resolved_by,
                resolved_at=report.resolved_at,
            )
            .execution_options(synchronize_session=False)
        )

    async def queue(self, status: ReportStatus, page: PageRequest[Cursor]) -> Page[Report, Cursor]:
        """Open reports oldest first (the queue's order), handled ones newest first."""
        r = ReportRow
        return await keyset_rows(
            self._db,
            r,
            r.status == status.value,
            page,
            map=_report,
            newest_first=status is not ReportStatus.OPEN,
        )


class SqlaAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def append(self, entry: AuditEntry) -> None:
        self._db.add(
            AuditEntryRow(
                id=entry.id,
                actor_id=entry.actor_id,
                action=entry.action,
                target_type=entry.target_type,
                target_id=entry.target_id,
                details=entry.details,
                created_at=entry.created_at,
            )
        )

    async def page(self, page: PageRequest[Cursor]) -> Page[AuditEntry, Cursor]:
        return await keyset_rows(self._db, AuditEntryRow, true(), page, map=_audit_entry)


def _report(row: ReportRow) -> Report:
    return Report(
        id=row.id,
        reporter_id=row.reporter_id,
        target_type=TargetType(row.target_type),
        target_id=row.target_id,
        reason=row.reason,
        created_at=row.created_at,
        target_owner_id=row.target_owner_id,
        status=ReportStatus(row.status),
        resolution=Resolution(row.resolution) if row.resolution else None,
        note=row.note,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
    )


def _audit_entry(r: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        r.id, r.actor_id, r.action, r.target_type, r.target_id, r.created_at, r.details
    )
