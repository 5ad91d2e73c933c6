"""Tables of event albums (EVT-1): events, their photos, guests' access, recently opened events
and each user's collection of bookmarked photos."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Column, Date, ForeignKey, Index, Integer, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["EventRow", "event_access", "event_photos", "event_recent", "photo_bookmarks"]

_TIME = DateTimeUTC(timezone=True)


class EventRow(UUIDv7Base):
    """An album; it belongs to its organiser and goes with the account."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_owner", "owner_id", "created_at"),
        Index("ix_events_visibility", "visibility", "created_at"),
    )

    owner_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text)
    event_date: Mapped[date] = mapped_column(Date)
    visibility: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(_TIME)
    updated_at: Mapped[datetime] = mapped_column(_TIME)


def _user() -> Column[UUID]:
    return Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


def _event(*, primary_key: bool) -> Column[UUID]:
    return Column(
        "event_id",
        ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
    )


event_photos = Table(
    "event_photos",
    UUIDv7Base.metadata,
    Column("media_id", ForeignKey("media.id", ondelete="CASCADE"), primary_key=True),
    _event(primary_key=False),
    Column("position", Integer, nullable=False),
    Column("added_at", _TIME, nullable=False),
    Index("ix_event_photos_event", "event_id", "position", "media_id"),
    UniqueConstraint("media_id", "event_id", name="uq_event_photos_media_id_event_id"),
)
"""A media item attached to an event: in one event at most, in upload order (``position``)."""

event_access = Table(
    "event_access",
    UUIDv7Base.metadata,
    _user(),
    _event(primary_key=True),
    Column("granted_at", _TIME, nullable=False),
    Index("ix_event_access_event", "event_id"),
)
"""The guests who gave an event's password: they need not give it again."""

event_recent = Table(
    "event_recent",
    UUIDv7Base.metadata,
    _user(),
    _event(primary_key=True),
    Column("opened_at", _TIME, nullable=False),
    Index("ix_event_recent_user", "user_id", "opened_at"),
    Index("ix_event_recent_event", "event_id"),
)
"""When each user last opened each event (only the latest few per user are kept)."""

photo_bookmarks = Table(
    "photo_bookmarks",
    UUIDv7Base.metadata,
    _user(),
    Column("media_id", ForeignKey("event_photos.media_id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", _TIME, nullable=False),
    Index("ix_photo_bookmarks_user", "user_id", "created_at"),
    Index("ix_photo_bookmarks_media", "media_id"),
)
"""Each user's collection: photos of events they may see."""
