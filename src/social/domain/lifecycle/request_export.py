"""Asking for an archive of one's data and listing one's archives (AUTH-10): the request half.
The archive itself is built by a job (``build_export.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from social.domain.lifecycle.data_export import (
    DataExport,
    ExportLimits,
    ExportStatus,
    export_object_key,
)
from social.domain.lifecycle.export_ports import ExportUnitOfWorkFactory
from social.domain.lifecycle.jobs import BuildDataExportArchive
from social.domain.media.ports import MediaStorage
from social.domain.shared.clock import Clock
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id

__all__ = ["ExportView", "ListDataExports", "RequestDataExport"]

LIST_LIMIT = 50
"""Exports listed at most (newest first); one runs at a time and each expires in days."""


@dataclass(frozen=True, slots=True)
class ExportView:
    export: DataExport
    url: str | None
    """A signed download link valid until ``expires_at``, for a ready export only."""


class RequestDataExport:
    """Rules: one pending export per user (a second is ``Conflict``, held by a unique index so
    two requests at once cannot both pass); the job is queued in the same transaction."""

    def __init__(self, *, uow: ExportUnitOfWorkFactory, clock: Clock, limits: ExportLimits):
        self._uow = uow
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer) -> DataExport:
        now = self._clock.now()
        export_id = new_id()
        export = DataExport(
            id=export_id,
            owner_id=viewer.user_id,
            status=ExportStatus.PENDING,
            created_at=now,
            expires_at=now + self._limits.ttl,
            object_key=export_object_key(viewer.user_id, export_id),
        )
        async with self._uow() as uow:
            await uow.exports.add(export)
            await uow.jobs.enqueue(BuildDataExportArchive(export_id=export_id))
            await uow.commit()
        return export


class ListDataExports:
    """The caller's own exports, newest first; only a ready, unexpired one has a link, signed
    by the storage until the export expires (the list is per owner, the key unguessable)."""

    def __init__(self, *, uow: ExportUnitOfWorkFactory, storage: MediaStorage, clock: Clock):
        self._uow = uow
        self._storage = storage
        self._clock = clock

    async def execute(self, viewer: Viewer) -> list[ExportView]:
        async with self._uow() as uow:
            exports = await uow.exports.list_for(viewer.user_id, LIST_LIMIT)
        now = self._clock.now()
        return [ExportView(e, await download_url(self._storage, e, now)) for e in exports]


async def download_url(storage: MediaStorage, export: DataExport, now: datetime) -> str | None:
    """The archive's signed link, valid until the export expires; ``None`` unless ready."""
    if not export.downloadable(now):
        return None
    return await storage.presigned_get_url(export.object_key, expires_in=export.expires_at - now)
