"""Keep the search index in step with posts (jobs; idempotent)."""

from __future__ import annotations

from uuid import UUID

from social.domain.posts.ports import PostsUnitOfWorkFactory
from social.domain.search.model import GeoPoint, PostDocument, Visibility
from social.domain.search.ports import SearchIndex

__all__ = ["IndexPost", "UnindexPost"]


class IndexPost:
    """Rules: a post of a private account is indexed for followers only, of an inactive one
    not at all; a post that no longer exists is removed from the index."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory, search: SearchIndex) -> None:
        self._uow = uow
        self._search = search

    async def execute(self, post_id: UUID) -> bool:
        async with self._uow() as uow:
            post = await uow.posts.get(post_id)
            author = await uow.users.get(post.author_id) if post else None
        if post is None or author is None:
            await self._search.delete(post_id)
            return False
        visibility = Visibility.FOLLOWERS if author.is_private else Visibility.PUBLIC
        if not author.is_active:
            visibility = Visibility.HIDDEN
        place = post.place
        await self._search.upsert(
            PostDocument(
                post_id=post.id,
                author_id=post.author_id,
                caption=post.caption,
                tags=post.tags,
                created_at=post.created_at,
                visibility=visibility,
                place_name=place.name if place else None,
                location=GeoPoint(place.latitude, place.longitude) if place else None,
            )
        )
        return True


class UnindexPost:
    def __init__(self, *, search: SearchIndex) -> None:
        self._search = search

    async def execute(self, post_id: UUID) -> None:
        await self._search.delete(post_id)
