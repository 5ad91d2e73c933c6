"""Account tables: users, their sessions and refresh tokens (advanced-alchemy, UUIDv7 keys).
Rows never leave ``adapters.postgres``."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["AuthSessionRow", "RefreshTokenRow", "UserRow"]


class UserRow(UUIDv7Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("username", name="uq_users_username"),
        UniqueConstraint("email_hash", name="uq_users_email_hash"),
        Index("ix_users_followers_count", "followers_count"),
        Index(
            "ix_users_avatar_media_id",
            "avatar_media_id",
            postgresql_where=text("avatar_media_id IS NOT NULL"),
        ),
    )

    username: Mapped[str] = mapped_column(String(64))
    email_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    email_key_id: Mapped[str] = mapped_column(String(32))
    email_hash: Mapped[bytes] = mapped_column(LargeBinary)
    password_hash: Mapped[str] = mapped_column(Text)
    display_name: Mapped[str] = mapped_column(Text, server_default="")
    bio: Mapped[str] = mapped_column(Text, server_default="")
    website: Mapped[str | None] = mapped_column(Text)
    is_private: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    role: Mapped[str] = mapped_column(String(16), server_default="user")
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    avatar_media_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("media.id", ondelete="SET NULL", use_alter=True, name="fk_users_avatar_media_id")
    )
    posts_count: Mapped[int] = mapped_column(Integer, server_default="0")
    followers_count: Mapped[int] = mapped_column(Integer, server_default="0")
    following_count: Mapped[int] = mapped_column(Integer, server_default="0")
    two_factor_enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    """Written only by the two-factor repository (``two_factor.py``), never by ``users.py``."""
    revision: Mapped[int] = mapped_column(Integer, server_default="0")
    """Bumped by a trigger when a presented field changes (migration 0012): the read model's
    cache key."""
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class AuthSessionRow(UUIDv7Base):
    """One refresh-token family (a sign-in on one device)."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index("ix_auth_sessions_user_id", "user_id"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    revoke_reason: Mapped[str | None] = mapped_column(String(32))
    user_agent: Mapped[str] = mapped_column(String(256), server_default="")
    ip: Mapped[str | None] = mapped_column(String(64))
    """The coarse network of the sign-in (``203.0.113.0/24``), never the address."""
    last_used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class RefreshTokenRow(UUIDv7Base):
    __tablename__ = "refresh_tokens"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
        Index("ix_refresh_tokens_session_id", "session_id"),
        Index("ix_refresh_tokens_expires_at", "expires_at"),
    )

    session_id: Mapped[UUID] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
