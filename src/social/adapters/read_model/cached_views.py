"""``PresentedViews`` as a cache: presentations by ``(id, revision)`` from a store, the misses
made from the database's contents and stored for the next reader."""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from uuid import UUID

from social.adapters.read_model.content import ContentSource, PresentationStore, Presenter
from social.domain.reads.model import Presentations, Presented
from social.domain.shared.errors import Unavailable

__all__ = ["CachedPresentedViews"]

log = logging.getLogger(__name__)

_WARN_EVERY_S = 30.0


class CachedPresentedViews:
    """One store round trip for a page on a warm cache; on a miss one statement per kind of
    content and one store write. A store that is down costs the database instead (pages still
    come, a warning says why they are slow); the database being down is ``Unavailable``.

    ``ttl_s`` must stay well below the lifetime of the signed media URLs the presenter writes:
    every URL handed out then has at least their difference left to live."""

    def __init__(
        self,
        *,
        store: PresentationStore,
        source: ContentSource,
        presenter: Presenter,
        ttl_s: float,
    ) -> None:
        self._store = store
        self._source = source
        self._presenter = presenter
        self._ttl_s = ttl_s
        self._warned_at = 0.0
        self.hits = 0
        self.misses = 0

    async def present(
        self,
        posts: Collection[tuple[UUID, int]] = (),
        accounts: Collection[tuple[UUID, int]] = (),
    ) -> Presentations:
        keys = [f"p{post_id}:{revision}" for post_id, revision in posts]
        keys += [f"a{account_id}:{revision}" for account_id, revision in accounts]
        cached = await self._cached(keys)
        split = len(posts)
        found_posts: dict[UUID, Presented] = {}
        found_accounts: dict[UUID, Presented] = {}
        missing_posts: list[UUID] = []
        missing_accounts: list[UUID] = []
        for (post_id, _), value in zip(posts, cached[:split], strict=True):
            if value is None:
                missing_posts.append(post_id)
            else:
                found_posts[post_id] = value
        for (account_id, _), value in zip(accounts, cached[split:], strict=True):
            if value is None:
                missing_accounts.append(account_id)
            else:
                found_accounts[account_id] = value
        self.hits += len(keys) - len(missing_posts) - len(missing_accounts)
        if missing_posts or missing_accounts:
            self.misses += len(missing_posts) + len(missing_accounts)
            await self._fill(missing_posts, missing_accounts, found_posts, found_accounts)
        return Presentations(posts=found_posts, accounts=found_accounts)

    async def _cached(self, keys: list[str]) -> list[bytes | None]:
        try:
            return await self._store.get_many(keys)
        except Unavailable:
            self._warn()
            return [None] * len(keys)

    async def _fill(
        self,
        post_ids: list[UUID],
        account_ids: list[UUID],
        posts: dict[UUID, Presented],
        accounts: dict[UUID, Presented],
    ) -> None:
        """Made from the database as it is now: a newer revision than asked is stored under its
        own key and shown (it is what the next page will ask for)."""
        fresh: dict[str, bytes] = {}
        if post_ids:
            for post in await self._source.posts(post_ids):
                posts[post.id] = fresh[f"p{post.id}:{post.revision}"] = await self._presenter.post(
                    post
                )
        if account_ids:
            for account in await self._source.accounts(account_ids):
                presented = await self._presenter.account(account)
                accounts[account.id] = fresh[f"a{account.id}:{account.revision}"] = presented
        if fresh:
            try:
                await self._store.put_many(fresh, self._ttl_s)
            except Unavailable:
                self._warn()

    def _warn(self) -> None:
        now = time.monotonic()
        if now - self._warned_at >= _WARN_EVERY_S:
            self._warned_at = now
            log.warning("presentation cache unavailable: presenting from the database")
