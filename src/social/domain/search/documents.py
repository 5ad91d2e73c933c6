"""What the index should hold for a post or an account, from the database's current state."""

from __future__ import annotations

from social.domain.accounts.model import User
from social.domain.posts.model import Post
from social.domain.search.model import GeoPoint, PostDocument, UserDocument, Visibility

__all__ = ["post_document", "user_document"]


def post_document(post: Post, author: User) -> PostDocument:
    """Rules: a private account's posts are for followers only (search shows public ones), an
    inactive (suspended, deleted) account's posts are hidden."""
    visibility = Visibility.FOLLOWERS if author.is_private else Visibility.PUBLIC
    if not author.is_active:
        visibility = Visibility.HIDDEN
    place = post.place
    return PostDocument(
        post_id=post.id,
        author_id=post.author_id,
        caption=post.caption,
        tags=post.tags,
        created_at=post.created_at,
        visibility=visibility,
        place_name=place.name if place else None,
        location=GeoPoint(place.latitude, place.longitude) if place else None,
    )


def user_document(user: User) -> UserDocument | None:
    """Only active accounts can be found."""
    if not user.is_active:
        return None
    return UserDocument(user.id, user.username, user.display_name)
