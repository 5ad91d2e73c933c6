"""A user's archive of their own data (AUTH-10): one export row per request, its states and the
rules of its object key and lifetime."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

__all__ = ["DataExport", "ExportLimits", "ExportStatus", "export_object_key"]


class ExportStatus(StrEnum):
    PENDING = "pending"
    """Queued or being built; at most one per user (a unique index holds it)."""
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"
    """Past ``expires_at``: the archive object is gone."""


@dataclass(frozen=True, slots=True)
class ExportLimits:
    ttl: timedelta = timedelta(days=7)
    """How long a ready archive (and its link) stays downloadable."""
    stale_after: timedelta = timedelta(days=1)
    """A pending export older than this is given up (failed): its job ran out of retries."""
    page_size: int = 500
    """Rows read per transaction while building an archive."""


@dataclass(frozen=True, slots=True)
class DataExport:
    id: UUID
    owner_id: UUID
    status: ExportStatus
    created_at: datetime
    expires_at: datetime
    """For a pending export, the creation plus the lifetime; once ready, when it was ready
    plus the lifetime."""
    object_key: str
    """Where the archive is stored: under the owner's and the export's ids with 128 random
    bits, so nobody can guess it."""
    size_bytes: int | None = None
    finished_at: datetime | None = None

    def downloadable(self, now: datetime) -> bool:
        return self.status is ExportStatus.READY and now < self.expires_at


def export_object_key(owner_id: UUID, export_id: UUID) -> str:
    """A fresh, unguessable storage key for an archive."""
    return f"exports/{owner_id}/{export_id}/{secrets.token_hex(16)}.zip"
