"""The table of data exports (AUTH-10)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["DataExportRow"]


class DataExportRow(UUIDv7Base):
    __tablename__ = "data_exports"
    __table_args__ = (
        # One export at a time per user: a second pending row is a unique violation.
        Index(
            "uq_data_exports_one_pending",
            "owner_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_data_exports_owner_recent", "owner_id", "created_at"),
        Index(
            "ix_data_exports_ready_expiry", "expires_at", postgresql_where=text("status = 'ready'")
        ),
    )

    owner_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    object_key: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    finished_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
