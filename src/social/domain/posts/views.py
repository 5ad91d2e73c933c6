"""Posts as a viewer sees them, hydrated in batches (no query per post)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from social.domain.accounts.model import User, Viewer
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_content
from social.domain.interactions.model import ViewerFlags
from social.domain.media.model import MediaItem
from social.domain.posts.model import Post
from social.domain.posts.ports import PostsUnitOfWork
from social.domain.profiles.model import ProfileView
from social.domain.profiles.presenting import build_profile_views

__all__ = ["Hydration", "PostView", "hydration", "post_views"]

_NONE = ViewerFlags()
_NO_TIES = Ties()


@dataclass(frozen=True, slots=True)
class PostView:
    post: Post
    author: ProfileView
    media: tuple[MediaItem, ...]
    liked: bool = False
    bookmarked: bool = False
    shared: bool = False


@dataclass(frozen=True, slots=True)
class Hydration:
    """Everything the views of a batch of posts need, fetched once: accounts, the viewer's
    ties to them, media (post media and avatars alike)."""

    users: Mapping[UUID, User]
    ties: Mapping[UUID, Ties]
    media: Mapping[UUID, MediaItem]


async def hydration(
    uow: PostsUnitOfWork,
    viewer: Viewer | None,
    posts: Sequence[Post],
    *,
    more_users: Sequence[UUID] = (),
    ties: Mapping[UUID, Ties] | None = None,
) -> Hydration:
    """Three queries at most whatever the batch: accounts, ties (unless given), media."""
    users = await uow.users.get_many({p.author_id for p in posts} | set(more_users))
    known = dict(ties or {})
    others = [i for i in users if viewer is not None and i != viewer.user_id and i not in known]
    if viewer is not None and others:
        known.update(await uow.graph.ties(viewer.user_id, others))
    wanted = [m for p in posts for m in p.media_ids]
    wanted += [u.avatar_media_id for u in users.values() if u.avatar_media_id is not None]
    media = await uow.media.get_many(wanted) if wanted else {}
    return Hydration(users=users, ties=known, media=media)


async def post_views(
    uow: PostsUnitOfWork,
    viewer: Viewer | None,
    posts: Sequence[Post],
    *,
    facts: Hydration | None = None,
) -> list[PostView]:
    """Views of the posts the viewer may see, in order; hidden ones are left out (POST-5)."""
    facts = facts or await hydration(uow, viewer, posts)
    visible = [
        post
        for post in posts
        if (author := facts.users.get(post.author_id)) is not None
        and can_see_content(viewer, author, facts.ties.get(author.id, _NO_TIES))
    ]
    authors = {
        view.user.id: view
        for view in build_profile_views(
            viewer,
            [facts.users[i] for i in dict.fromkeys(p.author_id for p in visible)],
            facts.ties,
            facts.media,
        )
    }
    flags = await uow.interactions.flags(viewer.user_id, [p.id for p in visible]) if viewer else {}
    return [
        PostView(
            post=post,
            author=authors[post.author_id],
            media=tuple(facts.media[m] for m in post.media_ids if m in facts.media),
            liked=(mine := flags.get(post.id, _NONE)).liked,
            bookmarked=mine.bookmarked,
            shared=mine.shared,
        )
        for post in visible
        if post.author_id in authors
    ]
