"""API clients and the activity log (one row per API request)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import IdentityBase, UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import REAL, Index, LargeBinary, SmallInteger, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["ActivityRow", "ApiClientRow"]


class ApiClientRow(UUIDv7Base):
    """The key is never stored: only its SHA-256 (unique) and a short prefix for display."""

    __tablename__ = "api_clients"
    __table_args__ = (
        UniqueConstraint("name", name="uq_api_clients_name"),
        UniqueConstraint("key_hash", name="uq_api_clients_key_hash"),
    )

    name: Mapped[str] = mapped_column(String(100))
    key_prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class ActivityRow(IdentityBase):
    """Written in batches by one ``INSERT … SELECT unnest(…)``; a bigint identity key (cheaper
    than a UUID per request) and no foreign keys, so a write checks nothing and the log outlives
    what it names. Indexes: one client's recent rows (usage of one client), and time with the
    client included (usage of all clients and the top clients as index-only scans; retention
    deletes)."""

    __tablename__ = "api_activity"
    __table_args__ = (
        Index(
            "ix_api_activity_client_recent",
            "client_id",
            "created_at",
            postgresql_where=text("client_id IS NOT NULL"),
        ),
        Index("ix_api_activity_created_at", "created_at", postgresql_include=["client_id"]),
    )

    client_id: Mapped[UUID | None] = mapped_column()
    user_id: Mapped[UUID | None] = mapped_column()
    method: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(SmallInteger)
    latency_ms: Mapped[float] = mapped_column(REAL)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
