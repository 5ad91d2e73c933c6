"""Contents of posts and accounts for their presentations, one statement per kind whatever the
batch (the read model's miss path), on the read pool."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

import msgspec

from social.adapters.postgres.read_pool import ReadPool
from social.adapters.read_model.content import AccountContent, PostContent
from social.domain.media.model import MediaItem, MediaKind, MediaPurpose, MediaStatus, Variant
from social.domain.posts.model import Place

__all__ = ["AsyncpgContentSource"]

_MEDIA = """m.id AS m_id, m.owner_id AS m_owner_id, m.kind AS m_kind, m.purpose AS m_purpose,
       m.status AS m_status, m.created_at AS m_created_at, m.width AS m_width,
       m.height AS m_height, m.blurhash AS m_blurhash, m.variants::text AS m_variants,
       m.error AS m_error, m.alt_text AS m_alt_text, m.duration_s AS m_duration_s"""

_POSTS = f"""
SELECT p.id, p.revision, p.caption, p.tags, p.mentions, p.place_name, p.latitude, p.longitude,
       p.comments_enabled, p.created_at, p.edited_at, {_MEDIA}
FROM posts p
LEFT JOIN post_media pm ON pm.post_id = p.id
LEFT JOIN media m ON m.id = pm.media_id
WHERE p.id = ANY($1::uuid[])
ORDER BY p.id, pm.position
"""  # noqa: S608 (assembled from constants)

_ACCOUNTS = f"""
SELECT u.id, u.revision, u.username, u.display_name, u.bio, u.website, u.created_at, {_MEDIA}
FROM users u
LEFT JOIN media m ON m.id = u.avatar_media_id
WHERE u.id = ANY($1::uuid[])
"""  # noqa: S608 (assembled from constants)

_VARIANTS = msgspec.json.Decoder(list[Variant])


class AsyncpgContentSource:
    def __init__(self, pool: ReadPool) -> None:
        self._pool = pool

    async def posts(self, ids: Collection[UUID]) -> list[PostContent]:
        rows = await self._pool.fetch(_POSTS, list(ids))
        media: dict[UUID, list[MediaItem]] = {}
        firsts: dict[UUID, Any] = {}
        for row in rows:
            firsts.setdefault(row["id"], row)
            items = media.setdefault(row["id"], [])
            if row["m_id"] is not None:
                items.append(_media(row))
        return [_post(row, tuple(media[post_id])) for post_id, row in firsts.items()]

    async def accounts(self, ids: Collection[UUID]) -> list[AccountContent]:
        return [
            AccountContent(
                id=row["id"],
                revision=row["revision"],
                username=row["username"],
                display_name=row["display_name"],
                bio=row["bio"],
                website=row["website"],
                avatar=_media(row) if row["m_id"] is not None else None,
                created_at=row["created_at"],
            )
            for row in await self._pool.fetch(_ACCOUNTS, list(ids))
        ]


def _post(row: Any, media: tuple[MediaItem, ...]) -> PostContent:
    place = None
    name, latitude, longitude = row["place_name"], row["latitude"], row["longitude"]
    if name is not None and latitude is not None and longitude is not None:
        place = Place(name, latitude, longitude)
    return PostContent(
        id=row["id"],
        revision=row["revision"],
        caption=row["caption"],
        tags=tuple(row["tags"]),
        mentions=tuple(row["mentions"]),
        place=place,
        media=media,
        comments_enabled=row["comments_enabled"],
        created_at=row["created_at"],
        edited_at=row["edited_at"],
    )


def _media(row: Any) -> MediaItem:
    return MediaItem(
        id=row["m_id"],
        owner_id=row["m_owner_id"],
        kind=MediaKind(row["m_kind"]),
        purpose=MediaPurpose(row["m_purpose"]),
        status=MediaStatus(row["m_status"]),
        created_at=row["m_created_at"],
        width=row["m_width"],
        height=row["m_height"],
        blurhash=row["m_blurhash"],
        variants=tuple(_VARIANTS.decode(row["m_variants"])),
        error=row["m_error"],
        alt_text=row["m_alt_text"],
        duration_s=row["m_duration_s"],
    )
