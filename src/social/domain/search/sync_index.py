"""Bring the search index up to date with the database (SRCH-2): the search outbox's drain."""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from social.domain.search.documents import post_document, user_document
from social.domain.search.ports import SearchIndex, SearchUnitOfWork
from social.domain.shared.search_changes import ChangeKind

__all__ = ["SyncSearchIndex"]

log = logging.getLogger(__name__)


class SyncSearchIndex:
    """Rules: every recorded change is applied from the database's state at the time of the
    sync (so replaying a change is harmless and order does not matter): a post that exists is
    written with its author's visibility, one that does not is removed; an account likewise; an
    author change covers the account and all its posts. A change leaves the outbox only once the
    index took it: with the index down, changes wait and nothing is lost."""

    def __init__(
        self, *, uow: Callable[[], SearchUnitOfWork], search: SearchIndex, batch: int = 200
    ) -> None:
        self._uow = uow
        self._search = search
        self._batch = batch

    async def execute(self) -> int:
        """Apply every waiting change; returns how many were applied."""
        applied = 0
        while True:
            async with self._uow() as uow:
                changes = await uow.search_changes.claim(self._batch)
                if not changes:
                    return applied
                targets = {(c.kind, c.target_id) for c in changes}
                for kind, target_id in sorted(targets, key=lambda t: (t[0].value, t[1])):
                    await self._apply(uow, kind, target_id)
                await uow.search_changes.done(changes)
                await uow.commit()
            applied += len(changes)

    async def backlog(self) -> int:
        """How many changes wait (a gauge for operators)."""
        async with self._uow() as uow:
            return await uow.search_changes.backlog()

    async def _apply(self, uow: SearchUnitOfWork, kind: ChangeKind, target_id: UUID) -> None:
        if kind is ChangeKind.AUTHOR:
            for post_id in await uow.posts.ids_by_author(target_id):
                await uow.search_changes.record(ChangeKind.POST, post_id)  # next round
            await self._user(uow, target_id)
        elif kind is ChangeKind.USER:
            await self._user(uow, target_id)
        else:
            await self._post(uow, target_id)

    async def _post(self, uow: SearchUnitOfWork, post_id: UUID) -> None:
        post = await uow.posts.get(post_id)
        author = await uow.users.get(post.author_id) if post else None
        if post is None or author is None:
            await self._search.delete(post_id)
        else:
            await self._search.upsert(post_document(post, author))

    async def _user(self, uow: SearchUnitOfWork, user_id: UUID) -> None:
        user = await uow.users.get(user_id)
        document = user_document(user) if user else None
        if document is None:
            await self._search.delete_user(user_id)
        else:
            await self._search.upsert_user(document)
