"""What a data export says about each thing, as JSON, and which stored file stands for each
media item (the original when it is still stored, else the largest rendition)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.accounts.oidc_model import OidcIdentity
from social.domain.events.model import Event, EventPhoto, SavedPhoto
from social.domain.faces.reference import FaceReference
from social.domain.lifecycle.export_ports import AccountEdge, EventEdge, PostEdge
from social.domain.media.model import MediaItem, MediaKind
from social.domain.media.ports import MediaStorage
from social.domain.posts.model import Post
from social.domain.reads.model import Comment

__all__ = [
    "README",
    "MediaFile",
    "account_edge_row",
    "choose_media_file",
    "comment_row",
    "event_access_row",
    "event_photo_row",
    "event_row",
    "face_reference_row",
    "identity_row",
    "post_edge_row",
    "post_row",
    "profile_row",
    "recent_event_row",
    "saved_photo_row",
]

README = """Your data, as this service holds it.

profile.json            your account
posts.json              your posts: caption, tags, mentions, place and media (see "file")
comments.json           the comments you wrote
likes.json              the posts you liked
bookmarks.json          the posts you saved
followers.json          who follows you
following.json          whom you follow
events.json             the event albums you organise (whether a password is set; never
                        the password)
event_photos.json       the photos of those albums (see "file")
photo_collection.json   the event photos you bookmarked
recent_events.json      the events you opened lately
event_access.json       the events you were let into with their password
linked_identities.json  the sign-in providers' accounts linked to yours (no tokens are kept)
face_reference.json     your face reference for finding yourself in event photos: when you
                        consented and the numbers computed from your selfie (null if none)
media/                  your photos and videos, and your albums' photos: the original
                        upload when it is still stored, otherwise the largest copy kept
                        (originals are deleted once processed, as they carry location and
                        camera metadata)
"""
"""The archive's ``README.txt``."""

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


def event_row(event: Event) -> dict[str, Any]:
    """An album the user organises; whether it has a password, never its hash."""
    return {
        "id": str(event.id),
        "title": event.title,
        "event_date": event.event_date.isoformat(),
        "visibility": event.visibility.value,
        "has_password": event.has_password,
        "created_at": _time(event.created_at),
        "updated_at": _time(event.updated_at),
    }


def event_photo_row(photo: EventPhoto, chosen: MediaFile | None) -> dict[str, Any]:
    """A photo of one of the user's albums, with the archive path of its file."""
    return {
        "event_id": str(photo.event_id),
        "media_id": str(photo.media_id),
        "position": photo.position,
        "added_at": _time(photo.added_at),
        "file": chosen.path if chosen else None,
        "source": chosen.source if chosen else None,
    }


def saved_photo_row(saved: SavedPhoto) -> dict[str, Any]:
    """A photo in the user's collection (someone's event photo: named, not copied)."""
    return {
        "media_id": str(saved.photo.media_id),
        "event_id": str(saved.photo.event_id),
        "bookmarked_at": _time(saved.saved_at),
    }


def recent_event_row(edge: EventEdge) -> dict[str, Any]:
    return {"event_id": str(edge.event_id), "opened_at": _time(edge.at)}


def event_access_row(edge: EventEdge) -> dict[str, Any]:
    return {"event_id": str(edge.event_id), "granted_at": _time(edge.at)}


def identity_row(identity: OidcIdentity) -> dict[str, Any]:
    """A sign-in provider's account linked to this one: who vouches (``issuer``) and its id
    for the user there (``subject``); no token is kept, so none is exported."""
    return {
        "issuer": identity.issuer,
        "subject": identity.subject,
        "linked_at": _time(identity.created_at),
    }


def face_reference_row(reference: FaceReference | None) -> dict[str, Any] | None:
    """The user's face reference. Exported whole, embedding included: it is the user's own
    biometric data (GDPR art. 9), and the right of access (art. 15) covers it like any other
    personal data held about them."""
    if reference is None:
        return None
    return {
        "consented_at": _time(reference.consented_at),
        "embedding": list(reference.embedding),
    }
