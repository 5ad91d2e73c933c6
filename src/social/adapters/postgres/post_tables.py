"""Tables of posts, their media links, their tags in page order and idempotency keys."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    Boolean,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["IdempotencyKeyRow", "PostMediaRow", "PostRow", "post_tags"]


class PostRow(UUIDv7Base):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_author_recent", "author_id", "created_at", "id"),
        Index("ix_posts_recent", "created_at", "id"),
        Index("ix_posts_tags", "tags", postgresql_using="gin"),
    )

    author_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"))
    caption: Mapped[str] = mapped_column(Text, server_default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    extra_tags: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    mentions: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    place_name: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Double)
    longitude: Mapped[float | None] = mapped_column(Double)
    comments_enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    likes_count: Mapped[int] = mapped_column(Integer, server_default="0")
    comments_count: Mapped[int] = mapped_column(Integer, server_default="0")
    shares_count: Mapped[int] = mapped_column(Integer, server_default="0")
    revision: Mapped[int] = mapped_column(Integer, server_default="0")
    """Bumped by a trigger when a presented field changes (migration 0012): the read model's
    cache key."""
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    edited_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class PostMediaRow(UUIDv7Base):
    """A post's media, in carousel order; a media item belongs to one post at most."""

    __tablename__ = "post_media"
    __table_args__ = (
        UniqueConstraint("media_id", name="uq_post_media_media_id"),
        UniqueConstraint("post_id", "position", name="uq_post_media_position"),
    )

    post_id: Mapped[UUID] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    media_id: Mapped[UUID] = mapped_column(ForeignKey("media.id"))
    position: Mapped[int] = mapped_column(Integer)


post_tags = Table(
    "post_tags",
    UUIDv7Base.metadata,
    Column("tag", Text, primary_key=True),
    Column("created_at", DateTimeUTC(timezone=True), primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_post_tags_post_id", "post_id"),
)
"""A post's tags, one row each, in tag page order: written only by triggers on ``posts``
(migration 0013), read by the tag page's keyset query."""


class IdempotencyKeyRow(UUIDv7Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("owner_id", "scope", "key", name="uq_idempotency_keys_owner_scope_key"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )

    owner_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    resource_id: Mapped[UUID] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
