"""Remove stored objects nobody references any more (a job, so storage outages are retried)."""

from __future__ import annotations

from collections.abc import Sequence

from social.domain.media.ports import MediaStorage

__all__ = ["DeleteStoredObjects"]


class DeleteStoredObjects:
    """Rules: deleting an object that is already gone is fine, so the job can run again."""

    def __init__(self, *, storage: MediaStorage) -> None:
        self._storage = storage

    async def execute(self, keys: Sequence[str]) -> None:
        for key in keys:
            await self._storage.delete(key)
