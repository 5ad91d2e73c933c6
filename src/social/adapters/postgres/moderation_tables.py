"""Reports and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["AuditEntryRow", "ReportRow"]


class ReportRow(UUIDv7Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_status_recent", "status", "created_at", "id"),
        Index(
            "ix_reports_open_by_reporter",
            "reporter_id",
            "target_type",
            "target_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )

    reporter_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[UUID] = mapped_column()
    target_owner_id: Mapped[UUID | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), server_default="open")
    resolution: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[UUID | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class AuditEntryRow(UUIDv7Base):
    """No foreign keys on purpose: the trail outlives the accounts it names. A trigger refuses
    UPDATE and DELETE (see the migration), so the log is append-only in the database itself."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_recent", "created_at", "id"),)

    actor_id: Mapped[UUID] = mapped_column()
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[UUID] = mapped_column()
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
