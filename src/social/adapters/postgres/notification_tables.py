"""The notifications table. ``group_key`` is the group a notification is shown in (NOTIF-4),
written on insert from the domain's rule (``Notification.group_key``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["NotificationRow"]


class NotificationRow(UUIDv7Base):
    """A deleted post or comment takes its notifications with it (ON DELETE CASCADE)."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint(
            "recipient_id",
            "kind",
            "actor_id",
            "post_id",
            "comment_id",
            name="uq_notifications_once",
            postgresql_nulls_not_distinct=True,
        ),
        Index("ix_notifications_recipient_recent", "recipient_id", "created_at", "id"),
        Index(
            "ix_notifications_unread",
            "recipient_id",
            postgresql_where=text("read_at IS NULL"),
        ),
        Index("ix_notifications_actor_id", "actor_id"),
        Index("ix_notifications_recipient_group", "recipient_id", "group_key", "created_at", "id"),
    )

    recipient_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[UUID | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[UUID | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    read_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    group_key: Mapped[str] = mapped_column(Text)
