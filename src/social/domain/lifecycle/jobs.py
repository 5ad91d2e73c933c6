"""The lifecycle context's own jobs: building a data export and mailing its link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from social.domain.shared.jobs import Job

__all__ = ["BuildDataExportArchive", "MailDataExportLink"]


@dataclass(frozen=True, slots=True)
class BuildDataExportArchive(Job):
    """Write the archive of a pending export into storage (queued by its request)."""

    job_name: ClassVar[str] = "build_data_export"
    export_id: UUID


@dataclass(frozen=True, slots=True)
class MailDataExportLink(Job):
    """Mail the owner of a ready export its download link."""

    job_name: ClassVar[str] = "mail_data_export"
    export_id: UUID
