"""The periodic clean-up of data exports: expired archives are deleted, stuck ones given up."""

from __future__ import annotations

from dataclasses import replace

from social.domain.lifecycle.data_export import ExportLimits, ExportStatus
from social.domain.lifecycle.export_ports import ExportUnitOfWorkFactory
from social.domain.media.ports import MediaStorage
from social.domain.shared.clock import Clock

__all__ = ["ExpireDataExports"]

BATCH = 200


class ExpireDataExports:
    """Rules: a ready export past ``expires_at`` loses its archive object and becomes
    ``expired``; a pending one older than ``stale_after`` (its job never finished, retries
    spent) becomes ``failed`` with whatever it stored removed, so its owner can ask again.
    The object goes first: a crash between leaves a row the next run finishes."""

    def __init__(
        self,
        *,
        uow: ExportUnitOfWorkFactory,
        storage: MediaStorage,
        clock: Clock,
        limits: ExportLimits,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._clock = clock
        self._limits = limits

    async def execute(self) -> int:
        """How many exports were expired or given up."""
        done = 0
        while True:
            now = self._clock.now()
            async with self._uow() as uow:
                due = await uow.exports.expiring(now, now - self._limits.stale_after, BATCH)
            for export in due:
                await self._storage.delete(export.object_key)
            async with self._uow() as uow:
                for export in due:
                    current = await uow.exports.get(export.id, for_update=True)
                    if current is None or current.status is not export.status:
                        continue
                    status = (
                        ExportStatus.EXPIRED
                        if export.status is ExportStatus.READY
                        else ExportStatus.FAILED
                    )
                    await uow.exports.update(replace(current, status=status))
                await uow.commit()
            done += len(due)
            if len(due) < BATCH:
                return done
