"""Reports and the audit trail of what moderators and admins did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from social.domain.shared.errors import Invalid

__all__ = [
    "AuditEntry",
    "Report",
    "ReportStatus",
    "Resolution",
    "TargetType",
    "clean_reason",
]


class TargetType(StrEnum):
    POST = "post"
    COMMENT = "comment"
    USER = "user"


class ReportStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Resolution(StrEnum):
    DISMISS = "dismiss"
    REMOVE_CONTENT = "remove_content"
    SUSPEND_USER = "suspend_user"


@dataclass(frozen=True, slots=True)
class Report:
    id: UUID
    reporter_id: UUID
    target_type: TargetType
    target_id: UUID
    reason: str
    created_at: datetime
    target_owner_id: UUID | None = None
    """Whose content (or which account) it is about, kept so a removed target still says."""
    status: ReportStatus = ReportStatus.OPEN
    resolution: Resolution | None = None
    note: str | None = None
    resolved_by: UUID | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One moderation or role action; the log is append-only."""

    id: UUID
    actor_id: UUID
    action: str
    target_type: str
    target_id: UUID
    created_at: datetime
    details: dict[str, Any] = field(default_factory=dict)


REASON_MAX = 1000


def clean_reason(text: str, *, field: str = "reason") -> str:
    """One line, trimmed; 1 to 1,000 characters."""
    clean = " ".join(text.split())
    if not clean:
        raise Invalid.field(field, "must not be empty")
    if len(clean) > REASON_MAX:
        raise Invalid.field(field, f"must be at most {REASON_MAX} characters")
    return clean
