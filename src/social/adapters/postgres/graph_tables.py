"""Tables of the social graph: follows, follow requests, blocks, mutes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["BlockRow", "FollowRequestRow", "FollowRow", "MuteRow"]


def _user_fk() -> Mapped[UUID]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class FollowRow(UUIDv7Base):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("follower_id", "followee_id", name="uq_follows_pair"),
        Index("ix_follows_followee_recent", "followee_id", "created_at", "id"),
        Index("ix_follows_follower_recent", "follower_id", "created_at", "id"),
    )

    follower_id: Mapped[UUID] = _user_fk()
    followee_id: Mapped[UUID] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class FollowRequestRow(UUIDv7Base):
    __tablename__ = "follow_requests"
    __table_args__ = (
        UniqueConstraint("requester_id", "target_id", name="uq_follow_requests_pair"),
        Index("ix_follow_requests_target_recent", "target_id", "created_at", "id"),
    )

    requester_id: Mapped[UUID] = _user_fk()
    target_id: Mapped[UUID] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class BlockRow(UUIDv7Base):
    __tablename__ = "blocks"
    __table_args__ = (
        UniqueConstraint("blocker_id", "blocked_id", name="uq_blocks_pair"),
        Index("ix_blocks_blocked_id", "blocked_id"),
        Index("ix_blocks_blocker_recent", "blocker_id", "created_at", "id"),
    )

    blocker_id: Mapped[UUID] = _user_fk()
    blocked_id: Mapped[UUID] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class MuteRow(UUIDv7Base):
    __tablename__ = "mutes"
    __table_args__ = (
        UniqueConstraint("muter_id", "muted_id", name="uq_mutes_pair"),
        Index("ix_mutes_muted_id", "muted_id"),
        Index("ix_mutes_muter_recent", "muter_id", "created_at", "id"),
    )

    muter_id: Mapped[UUID] = _user_fk()
    muted_id: Mapped[UUID] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
