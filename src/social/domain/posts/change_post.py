"""Edit and delete a post (POST-4)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from social.domain.media.jobs import DiscardPostMedia
from social.domain.posts.access import find_visible_post
from social.domain.posts.create_post import PlaceInput
from social.domain.posts.model import Place, Post, PostLimits, merge_tags, parse_caption
from social.domain.posts.ports import PostsUnitOfWorkFactory
from social.domain.posts.read_post import show_post
from social.domain.reads.cards import Reads
from social.domain.reads.model import PostCard
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Forbidden
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import RetractFeedEntry
from social.domain.shared.search_changes import ChangeKind

__all__ = ["KEEP", "DeletePost", "EditPost", "EditPostCommand"]


class _Keep:
    """Marks a field the edit leaves as it is (``None`` means 'clear' for the place)."""


KEEP = _Keep()


@dataclass(frozen=True, slots=True)
class EditPostCommand:
    caption: str | _Keep = KEEP
    tags: tuple[str, ...] | _Keep = KEEP
    place: PlaceInput | _Keep | None = KEEP
    comments_enabled: bool | _Keep = KEEP


class EditPost:
    """Rules: only the author edits; caption, tags, place and the comments switch may change
    (media may not); tags given explicitly survive a caption edit; the same rules as for
    creating apply; the edit time is recorded and the search document refreshed."""

    def __init__(
        self, *, uow: PostsUnitOfWorkFactory, reads: Reads, clock: Clock, limits: PostLimits
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._clock = clock
        self._limits = limits

    async def execute(self, viewer: Viewer, post_id: UUID, command: EditPostCommand) -> PostCard:
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            if post.author_id != viewer.user_id:
                raise Forbidden("Only the author can edit a post.")
            edited = self._apply(post, command)
            await uow.posts.update(edited)
            await uow.search_changes.record(ChangeKind.POST, post.id)
            await uow.commit()
        return await show_post(self._reads, viewer, post_id)

    def _apply(self, post: Post, command: EditPostCommand) -> Post:
        limits = self._limits
        caption = post.caption if isinstance(command.caption, _Keep) else command.caption
        text, caption_tags, mentions = parse_caption(caption, limits)
        given = post.extra_tags if isinstance(command.tags, _Keep) else command.tags
        tags, extras = merge_tags(caption_tags, list(given), limits)
        place = post.place
        if not isinstance(command.place, _Keep):
            new = command.place
            place = (
                None if new is None else Place.parse(new.name, new.latitude, new.longitude, limits)
            )
        comments = (
            post.comments_enabled
            if isinstance(command.comments_enabled, _Keep)
            else command.comments_enabled
        )
        return replace(
            post,
            caption=text,
            tags=tags,
            extra_tags=extras,
            mentions=tuple(mentions),
            place=place,
            comments_enabled=comments,
            edited_at=self._clock.now(),
        )


class DeletePost:
    """Rules: the author or a moderator deletes; the post leaves every read path and count at
    once (with its likes, comments, shares and bookmarks); its media objects, its search
    document and its lines in stored feeds are removed by jobs."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, post_id: UUID) -> None:
        async with self._uow() as uow:
            post, _, _ = await find_visible_post(uow, viewer, post_id)
            if post.author_id != viewer.user_id and not viewer.role.can_moderate:
                raise Forbidden("Only the author or a moderator can delete a post.")
            if await uow.posts.delete(post.id):
                await uow.jobs.enqueue(DiscardPostMedia(post.media_ids))
                await uow.search_changes.record(ChangeKind.POST, post.id)
                await uow.jobs.enqueue(RetractFeedEntry(entry_id=post.id, actor_id=post.author_id))
            await uow.commit()
