"""OpenID Connect tables: sign-ins in flight (by the hash of their state, single use) and the
identities linked to accounts (one account per ``(issuer, subject)``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["OidcIdentityRow", "OidcLoginRow"]


class OidcLoginRow(UUIDv7Base):
    """Only hashes of the state and of the browser binding are kept; the nonce and the PKCE
    verifier must be kept in clear (they are sent on) and live minutes."""

    __tablename__ = "oidc_logins"
    __table_args__ = (
        UniqueConstraint("state_hash", name="uq_oidc_logins_state_hash"),
        Index("ix_oidc_logins_expires_at", "expires_at"),
    )

    state_hash: Mapped[bytes] = mapped_column(LargeBinary)
    provider: Mapped[str] = mapped_column(String(64))
    nonce: Mapped[str] = mapped_column(String(128))
    code_verifier: Mapped[str] = mapped_column(String(128))
    browser_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    link_user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class OidcIdentityRow(UUIDv7Base):
    __tablename__ = "oidc_identities"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_oidc_identities_issuer_subject"),
        Index("ix_oidc_identities_user_id", "user_id"),
    )

    issuer: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
