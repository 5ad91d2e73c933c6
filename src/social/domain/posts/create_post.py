"""Publish a post (POST-3)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from social.domain.media.model import MediaPurpose, MediaStatus
from social.domain.posts.model import Place, Post, PostLimits, merge_tags, parse_caption
from social.domain.posts.ports import PostsUnitOfWork, PostsUnitOfWorkFactory
from social.domain.posts.read_post import show_post
from social.domain.reads.cards import Reads
from social.domain.reads.model import PostCard
from social.domain.shared.clock import Clock
from social.domain.shared.errors import ErrorCollector, Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import FanOutPost, SendNotification
from social.domain.shared.notification_kinds import NotificationKind
from social.domain.shared.search_changes import ChangeKind

__all__ = ["CreatePost", "CreatePostCommand", "PlaceInput"]

SCOPE = "posts"


@dataclass(frozen=True, slots=True)
class PlaceInput:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class CreatePostCommand:
    caption: str
    media_ids: tuple[UUID, ...]
    tags: tuple[str, ...] = ()
    place: PlaceInput | None = None
    comments_enabled: bool = True
    followers_only: bool = False
    """The author asks for a followers-only audience (the app API's ``private`` visibility):
    posts have no audience of their own, so only a private account's posts can be that."""


class CreatePost:
    """Rules: 1 to 10 media items, in the given order, each ``ready``, owned by the author and not
    already in a post; caption ≤ 2,200 characters; hashtags from the caption plus the given
    ones, normalized, ≤ 30; mentions parsed from the caption; an optional place with valid
    coordinates; a followers-only post only from a private account (the audience is the
    account's, never silently wider than asked). The author's post count follows in the same
    transaction, and the post is indexed for search and fanned out to followers' feeds by
    jobs. A repeated ``Idempotency-Key`` returns the first post."""

    def __init__(
        self, *, uow: PostsUnitOfWorkFactory, reads: Reads, clock: Clock, limits: PostLimits
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._clock = clock
        self._limits = limits

    async def execute(
        self, viewer: Viewer, command: CreatePostCommand, *, idempotency_key: str | None = None
    ) -> PostCard:
        async with self._uow() as uow:
            post_id = await self._recall(uow, viewer, idempotency_key)
            if post_id is None:
                post_id = await self._create(uow, viewer, command, idempotency_key)
        return await show_post(self._reads, viewer, post_id)

    async def _create(
        self,
        uow: PostsUnitOfWork,
        viewer: Viewer,
        command: CreatePostCommand,
        idempotency_key: str | None,
    ) -> UUID:
        author = await uow.users.get(viewer.user_id)
        if author is None or not author.is_active:
            raise NotFound("The account does not exist.")
        if command.followers_only and not author.is_private:
            raise Invalid.field(
                "visibility",
                "followers-only posts need a private account (a post's audience is its "
                "author's: make the account private, or post publicly)",
            )
        post = self._build(viewer, command)
        await self._check_media(uow, viewer, post.media_ids)
        await uow.posts.add(post)
        if idempotency_key:
            await uow.idempotency.remember(viewer.user_id, SCOPE, idempotency_key, post.id)
        await uow.search_changes.record(ChangeKind.POST, post.id)
        await uow.jobs.enqueue(FanOutPost(post.id))
        if post.mentions:
            await uow.jobs.enqueue(
                SendNotification(NotificationKind.MENTION, viewer.user_id, post_id=post.id)
            )
        await uow.commit()
        return post.id

    def _build(self, viewer: Viewer, command: CreatePostCommand) -> Post:
        limits, collector = self._limits, ErrorCollector()
        no_caption: tuple[str, list[str], list[str]] = ("", [], [])
        caption, caption_tags, mentions = collector.check(
            lambda: parse_caption(command.caption, limits), no_caption
        )
        no_tags: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        tags, extras = collector.check(
            lambda: merge_tags(caption_tags, list(command.tags), limits), no_tags
        )
        place = None
        if (given := command.place) is not None:
            place = collector.check(
                lambda: Place.parse(given.name, given.latitude, given.longitude, limits), None
            )
        ids = command.media_ids
        if not limits.media_min <= len(ids) <= limits.media_max or len(set(ids)) != len(ids):
            collector.errors.extend(
                Invalid.field(
                    "media_ids",
                    f"must list {limits.media_min} to {limits.media_max} different items",
                ).errors
            )
        collector.raise_if_any()
        return Post(
            id=new_id(),
            author_id=viewer.user_id,
            caption=caption,
            tags=tags,
            mentions=tuple(mentions),
            media_ids=ids,
            created_at=self._clock.now(),
            place=place,
            comments_enabled=command.comments_enabled,
            extra_tags=extras,
        )

    async def _check_media(
        self, uow: PostsUnitOfWork, viewer: Viewer, ids: tuple[UUID, ...]
    ) -> None:
        items = await uow.media.get_many(ids)
        taken = await uow.posts.attached_media(ids)
        in_albums = await uow.media.album_photos(ids)
        for media_id in ids:
            item = items.get(media_id)
            if (
                item is None
                or item.owner_id != viewer.user_id
                or item.purpose is not MediaPurpose.POST
            ):
                raise Invalid.field("media_ids", f"{media_id} is not one of your uploads")
            if item.status is not MediaStatus.READY:
                raise Invalid.field("media_ids", f"{media_id} is {item.status.value}, not ready")
            if media_id in taken:
                raise Invalid.field("media_ids", f"{media_id} is already in a post")
            if media_id in in_albums:
                raise Invalid.field("media_ids", f"{media_id} is a photo of an event album")

    async def _recall(self, uow: PostsUnitOfWork, viewer: Viewer, key: str | None) -> UUID | None:
        """The post a repeated key made, while it exists (a deleted one is made again)."""
        earlier = await uow.idempotency.recall(viewer.user_id, SCOPE, key) if key else None
        return earlier if earlier and await uow.posts.get(earlier) else None
