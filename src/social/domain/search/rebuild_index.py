"""Rebuild the search index from the database (``social reindex``), without downtime."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.search.changes import SearchSyncPause
from social.domain.search.documents import post_document, user_document
from social.domain.search.model import PostDocument, UserDocument
from social.domain.search.ports import RebuildUnitOfWork, SearchIndex

__all__ = ["RebuildSearchIndex"]


class RebuildSearchIndex:
    """Rules: every post (with its author's visibility) and every active account is written to
    a fresh index, which replaces the old one at once; queries use the old index until then.
    Syncing pauses meanwhile, so changes made during the rebuild wait and are applied to the
    new index right after — none is lost, none lands in the index being replaced."""

    def __init__(
        self,
        *,
        uow: Callable[[], RebuildUnitOfWork],
        search: SearchIndex,
        pause: SearchSyncPause,
        batch: int = 1000,
    ) -> None:
        self._uow = uow
        self._search = search
        self._pause = pause
        self._batch = batch

    async def total(self) -> int:
        async with self._uow() as uow:
            return await uow.search_source.total()

    async def execute(self, progress: Callable[[int], None]) -> int:
        async with self._pause.paused():
            return await self._search.rebuild(self._posts(), self._users(), progress)

    async def _posts(self) -> AsyncIterator[PostDocument]:
        authors: dict[UUID, User | None] = {}
        after: UUID | None = None
        while True:
            async with self._uow() as uow:
                posts = await uow.search_source.posts_after(after, self._batch)
                missing = {p.author_id for p in posts} - authors.keys()
                if missing:
                    found = {u.id: u for u in await uow.search_source.users_in(missing)}
                    authors.update({i: found.get(i) for i in missing})
            if not posts:
                return
            for post in posts:
                author = authors.get(post.author_id)
                if author is not None:
                    yield post_document(post, author)
            after = posts[-1].id
            if len(authors) > 100_000:  # bounded memory on a huge rebuild
                authors.clear()

    async def _users(self) -> AsyncIterator[UserDocument]:
        after: UUID | None = None
        while True:
            async with self._uow() as uow:
                users = await uow.search_source.users_after(after, self._batch)
            if not users:
                return
            for user in users:
                document = user_document(user)
                if document is not None:
                    yield document
            after = users[-1].id
