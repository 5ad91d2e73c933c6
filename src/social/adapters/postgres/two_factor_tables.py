"""Two-factor tables (AUTH-7): one TOTP credential per account, its recovery codes (hashed).
Whether two-factor is on is ``users.two_factor_enabled``; a credential without it is pending."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["RecoveryCodeRow", "TotpCredentialRow"]


class TotpCredentialRow(UUIDv7Base):
    """The secret is AES-GCM sealed with the row's id as associated data (``secret_key_id``
    names the key, for rotation)."""

    __tablename__ = "totp_credentials"
    __table_args__ = (UniqueConstraint("user_id", name="uq_totp_credentials_user_id"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    secret_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    secret_key_id: Mapped[str] = mapped_column(String(32))
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The last TOTP time step accepted; codes at or before it are refused (no replay)."""
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class RecoveryCodeRow(UUIDv7Base):
    __tablename__ = "recovery_codes"
    __table_args__ = (
        UniqueConstraint("user_id", "code_hash", name="uq_recovery_codes_user_id_code_hash"),
    )

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
