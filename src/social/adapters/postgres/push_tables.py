"""The table of Web Push subscriptions (NOTIF-3): one row per device of a user."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["PushSubscriptionRow"]


class PushSubscriptionRow(UUIDv7Base):
    """The same endpoint subscribed again by its user is the same row (its keys and kinds
    replaced); the unique index serves the per-user lookup too."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "endpoint", name="uq_push_subscriptions_device"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(Text)
    auth: Mapped[str] = mapped_column(Text)
    kinds: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    """Notification kinds the device wants; empty: every kind."""
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
