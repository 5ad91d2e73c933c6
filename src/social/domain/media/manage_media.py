"""Reading one's media items, and removing media nobody uses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from social.domain.media.model import MediaItem
from social.domain.media.ports import MediaStorage, MediaUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer

__all__ = ["CollectUnattachedMedia", "DiscardMedia", "GetMedia"]


class GetMedia:
    """Rules: a media item is visible to its owner only until a post shows it."""

    def __init__(self, *, uow: MediaUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, media_id: UUID) -> MediaItem:
        async with self._uow() as uow:
            item = await uow.media.get(media_id)
        if item is None or item.owner_id != viewer.user_id:
            raise NotFound("No such media.")
        return item


class DiscardMedia:
    """Rules: the items' objects go first, then their records, so a crash half-way leaves
    records whose objects are gone (harmless, retried) rather than objects nobody can find."""

    def __init__(self, *, uow: MediaUnitOfWorkFactory, storage: MediaStorage) -> None:
        self._uow = uow
        self._storage = storage

    async def execute(self, media_ids: Sequence[UUID]) -> int:
        async with self._uow() as uow:
            items = await uow.media.get_many(media_ids)
        for item in items.values():
            for key in item.storage_keys:
                await self._storage.delete(key)
        async with self._uow() as uow:
            for media_id in items:
                await uow.media.delete(media_id)
            await uow.commit()
        return len(items)


class CollectUnattachedMedia:
    """Rules: post media that no post took within ``grace`` (a day by default) is garbage."""

    def __init__(
        self,
        *,
        uow: MediaUnitOfWorkFactory,
        discard: DiscardMedia,
        clock: Clock,
        grace: timedelta = timedelta(days=1),
        batch: int = 500,
    ) -> None:
        self._uow = uow
        self._discard = discard
        self._clock = clock
        self._grace = grace
        self._batch = batch

    async def execute(self) -> int:
        removed = 0
        while True:
            async with self._uow() as uow:
                stale = await uow.media.unattached_before(
                    self._clock.now() - self._grace, self._batch
                )
            if not stale:
                return removed
            removed += await self._discard.execute([item.id for item in stale])
