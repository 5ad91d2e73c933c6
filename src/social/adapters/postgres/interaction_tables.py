"""Tables of likes, shares, bookmarks and comments."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["BookmarkRow", "CommentRow", "LikeRow", "ShareRow"]


def _post_fk() -> Mapped[UUID]:
    return mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))


def _user_fk() -> Mapped[UUID]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class LikeRow(UUIDv7Base):
    __tablename__ = "likes"
    __table_args__ = (
        UniqueConstraint("user_id", "post_id", name="uq_likes_user_post"),
        Index("ix_likes_post_recent", "post_id", "created_at", "id"),
        Index("ix_likes_user_recent", "user_id", "created_at", "id"),  # data exports (0018)
    )

    post_id: Mapped[UUID] = _post_fk()
    user_id: Mapped[UUID] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class ShareRow(UUIDv7Base):
    __tablename__ = "shares"
    __table_args__ = (
        UniqueConstraint("user_id", "post_id", name="uq_shares_user_post"),
        Index("ix_shares_user_recent", "user_id", "created_at", "id"),
        Index("ix_shares_post_id", "post_id"),
    )

    post_id: Mapped[UUID] = _post_fk()
    user_id: Mapped[UUID] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class BookmarkRow(UUIDv7Base):
    __tablename__ = "bookmarks"
    __table_args__ = (
        UniqueConstraint("user_id", "post_id", name="uq_bookmarks_user_post"),
        Index("ix_bookmarks_user_recent", "user_id", "created_at", "id"),
        Index("ix_bookmarks_post_id", "post_id"),
    )

    post_id: Mapped[UUID] = _post_fk()
    user_id: Mapped[UUID] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class CommentRow(UUIDv7Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index(
            "ix_comments_post_top",
            "post_id",
            "created_at",
            "id",
            postgresql_where=sql_text("parent_id IS NULL"),
        ),
        Index("ix_comments_parent", "parent_id", "created_at", "id"),
        Index("ix_comments_author_id", "author_id"),
        Index("ix_comments_author_recent", "author_id", "created_at", "id"),  # data exports (0018)
    )

    post_id: Mapped[UUID] = _post_fk()
    author_id: Mapped[UUID] = _user_fk()
    parent_id: Mapped[UUID | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    replies_count: Mapped[int] = mapped_column(Integer, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
