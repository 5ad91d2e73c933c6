"""Posts as a viewer sees them, hydrated in batches (no query per post)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from social.domain.accounts.model import Viewer
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_content
from social.domain.interactions.model import ViewerFlags
from social.domain.media.model import MediaItem
from social.domain.posts.model import Post
from social.domain.posts.ports import PostsUnitOfWork
from social.domain.profiles.model import ProfileView
from social.domain.profiles.presenting import profile_views

__all__ = ["PostView", "post_views"]

_NONE = ViewerFlags()


@dataclass(frozen=True, slots=True)
class PostView:
    post: Post
    author: ProfileView
    media: tuple[MediaItem, ...]
    liked: bool = False
    bookmarked: bool = False
    shared: bool = False


async def post_views(
    uow: PostsUnitOfWork, viewer: Viewer | None, posts: Sequence[Post]
) -> list[PostView]:
    """Views of the posts the viewer may see, in order; hidden ones are left out (POST-5)."""
    authors = await uow.users.get_many({post.author_id for post in posts})
    others = [a for a in authors if viewer is None or a != viewer.user_id]
    ties = await uow.graph.ties(viewer.user_id, others) if viewer and others else {}
    visible = [
        post
        for post in posts
        if post.author_id in authors
        and can_see_content(viewer, authors[post.author_id], ties.get(post.author_id, Ties()))
    ]
    views = {
        view.user.id: view
        for view in await profile_views(uow, viewer, [authors[p.author_id] for p in visible])
    }
    media = await uow.media.get_many(m for post in visible for m in post.media_ids)
    flags = await uow.interactions.flags(viewer.user_id, [p.id for p in visible]) if viewer else {}
    return [
        PostView(
            post=post,
            author=views[post.author_id],
            media=tuple(media[m] for m in post.media_ids if m in media),
            liked=(mine := flags.get(post.id, _NONE)).liked,
            bookmarked=mine.bookmarked,
            shared=mine.shared,
        )
        for post in visible
        if post.author_id in views
    ]
