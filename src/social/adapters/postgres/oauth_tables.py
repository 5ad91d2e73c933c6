"""OAuth tables of the client-app API: registered apps, authorization codes and access
tokens (secrets, codes and tokens only as SHA-256 hashes). Rows never leave
``adapters.postgres``."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["OAuthAccessTokenRow", "OAuthAppRow", "OAuthCodeRow"]


class OAuthAppRow(UUIDv7Base):
    __tablename__ = "oauth_apps"
    __table_args__ = (UniqueConstraint("client_id", name="uq_oauth_apps_client_id"),)

    name: Mapped[str] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    redirect_uris: Mapped[str] = mapped_column(Text)
    """One per line."""
    scopes: Mapped[str] = mapped_column(Text)
    """Space-separated."""
    client_id: Mapped[str] = mapped_column(String(64))
    client_secret_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class OAuthCodeRow(UUIDv7Base):
    __tablename__ = "oauth_authorization_codes"
    __table_args__ = (
        UniqueConstraint("code_hash", name="uq_oauth_authorization_codes_code_hash"),
        Index("ix_oauth_authorization_codes_expires_at", "expires_at"),
        Index("ix_oauth_authorization_codes_user_id", "user_id"),
        Index("ix_oauth_authorization_codes_app_id", "app_id"),
    )

    code_hash: Mapped[bytes] = mapped_column(LargeBinary)
    app_id: Mapped[UUID] = mapped_column(ForeignKey("oauth_apps.id", ondelete="CASCADE"))
    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    """The PKCE S256 challenge the code was asked with, if any."""
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class OAuthAccessTokenRow(UUIDv7Base):
    """A token acting for an account belongs to one of its sessions (and goes with it)."""

    __tablename__ = "oauth_access_tokens"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_oauth_access_tokens_token_hash"),
        Index("ix_oauth_access_tokens_session_id", "session_id"),
        Index("ix_oauth_access_tokens_user_id", "user_id"),
        Index("ix_oauth_access_tokens_app_id", "app_id"),
    )

    token_hash: Mapped[bytes] = mapped_column(LargeBinary)
    app_id: Mapped[UUID] = mapped_column(ForeignKey("oauth_apps.id", ondelete="CASCADE"))
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE")
    )
    scopes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
