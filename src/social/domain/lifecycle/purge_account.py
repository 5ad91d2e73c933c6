"""Erase a deleted account and everything it owns (AUTH-6): the background half."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from social.domain.accounts.model import AccountStatus
from social.domain.lifecycle.ports import PurgeUnitOfWorkFactory
from social.domain.media.ports import MediaStorage
from social.domain.shared.clock import Clock, SystemClock
from social.domain.shared.search_changes import ChangeKind

__all__ = ["PurgeAccount"]

EXPORTS_AT_MOST = 10_000
"""Data exports whose archives a purge deletes (one at a time, each asked for by hand)."""


class PurgeAccount:
    """Rules: only an account marked deleted is erased; its likes, shares, bookmarks and
    comments (the posts' counters follow), its posts (and their search documents; stored feeds
    skip posts that are gone), its follows both ways (the other side's counters follow), its
    requests, blocks and mutes, its media objects and records (its event albums' photos are
    its own uploads: their objects go here too), its data-export archives, then the account
    row, which takes along (foreign keys) its albums, collection, opened events, access,
    linked OIDC identities and face reference; its username is held for ``username_hold``
    (nobody registers it to pass for its owner). A photo staff uploaded into one of its
    albums is staff's media: out of any event then, ``CollectUnattachedMedia`` removes it.
    Idempotent: a second run, or a run after a crash half-way, finishes the job and does
    nothing more."""

    def __init__(
        self,
        *,
        uow: PurgeUnitOfWorkFactory,
        storage: MediaStorage,
        clock: Clock | None = None,
        username_hold: timedelta = timedelta(days=30),
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._clock = clock or SystemClock()
        self._username_hold = username_hold

    async def execute(self, user_id: UUID) -> bool:
        """``True`` when the account was erased now, ``False`` when there was nothing to do."""
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or user.status is not AccountStatus.DELETED:
                return False
            await uow.interactions.remove_all_by(user_id)
            await uow.comments.remove_all_by(user_id)
            for post_id in await uow.posts.ids_by_author(user_id):
                await uow.posts.delete(post_id)
                await uow.search_changes.record(ChangeKind.POST, post_id)
            for item in await uow.media.owned_by(user_id):
                for key in item.storage_keys:
                    await self._storage.delete(key)
                await uow.media.delete(item.id)
            await uow.graph.remove_all_edges(user_id)
            for export in await uow.exports.list_for(user_id, EXPORTS_AT_MOST):
                await self._storage.delete(export.object_key)  # the rows go with the account
            if self._username_hold > timedelta(0):
                until = self._clock.now() + self._username_hold
                await uow.username_holds.hold(user.username, until)
            await uow.users.delete(user_id)
            await uow.search_changes.record(ChangeKind.USER, user_id)
            await uow.commit()
        return True
