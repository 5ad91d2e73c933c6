"""What a data export says about each thing, as JSON, and which stored file stands for each
media item (the original when it is still stored, else the largest rendition)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.lifecycle.export_ports import AccountEdge, PostEdge
from social.domain.media.model import MediaItem, MediaKind
from social.domain.media.ports import MediaStorage
from social.domain.posts.model import Post
from social.domain.reads.model import Comment

__all__ = [
    "MediaFile",
    "account_edge_row",
    "choose_media_file",
    "comment_row",
    "post_edge_row",
    "post_row",
    "profile_row",
]

_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
}


@dataclass(frozen=True, slots=True)
class MediaFile:
    """Which stored object stands for a media item in the archive, and where it goes."""

    key: str
    path: str
    source: str
    """``original`` or the name of the rendition (``large``, ``video``)."""


async def choose_media_file(item: MediaItem, storage: MediaStorage) -> MediaFile | None:
    """The original when it still exists, else the largest rendition of the item's kind (the
    MP4 of a video, the widest image variant of a photo); ``None`` for an item without any."""
    if item.original_key is not None:
        info = await storage.stat(item.original_key)
        if info is not None:
            return MediaFile(item.original_key, _path(item.id, info.content_type), "original")
    kind = "video/" if item.kind is MediaKind.VIDEO else "image/"
    variants = [v for v in item.variants if v.content_type.startswith(kind)]
    if not variants:
        variants = list(item.variants)
    if not variants:
        return None
    best = max(variants, key=lambda v: v.width * v.height)
    return MediaFile(best.key, _path(item.id, best.content_type), best.name)


def _path(media_id: UUID, content_type: str) -> str:
    extension = _EXTENSIONS.get(content_type.split(";")[0].strip().lower(), "bin")
    return f"media/{media_id}.{extension}"


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def profile_row(user: User, avatar: MediaFile | None) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "bio": user.bio,
        "website": user.website,
        "is_private": user.is_private,
        "created_at": _time(user.created_at),
        "avatar": avatar.path if avatar else None,
        "posts_count": user.posts_count,
        "followers_count": user.followers_count,
        "following_count": user.following_count,
    }


def post_row(post: Post, media: list[tuple[MediaItem, MediaFile | None]]) -> dict[str, Any]:
    place = post.place
    return {
        "id": str(post.id),
        "created_at": _time(post.created_at),
        "edited_at": _time(post.edited_at),
        "caption": post.caption,
        "tags": list(post.tags),
        "mentions": list(post.mentions),
        "place": (
            {"name": place.name, "latitude": place.latitude, "longitude": place.longitude}
            if place
            else None
        ),
        "comments_enabled": post.comments_enabled,
        "likes_count": post.likes_count,
        "comments_count": post.comments_count,
        "shares_count": post.shares_count,
        "media": [
            {
                "id": str(item.id),
                "kind": item.kind.value,
                "alt_text": item.alt_text,
                "width": item.width,
                "height": item.height,
                "duration_s": item.duration_s,
                "file": chosen.path if chosen else None,
                "source": chosen.source if chosen else None,
            }
            for item, chosen in media
        ],
    }


def comment_row(comment: Comment) -> dict[str, Any]:
    return {
        "id": str(comment.id),
        "post_id": str(comment.post_id),
        "parent_id": str(comment.parent_id) if comment.parent_id else None,
        "text": comment.text,
        "created_at": _time(comment.created_at),
    }


def post_edge_row(edge: PostEdge) -> dict[str, Any]:
    """A like or a bookmark."""
    return {"post_id": str(edge.post_id), "created_at": _time(edge.created_at)}


def account_edge_row(edge: AccountEdge) -> dict[str, Any]:
    """A follower or a followed account."""
    return {
        "user_id": str(edge.user_id),
        "username": edge.username,
        "created_at": _time(edge.created_at),
    }
