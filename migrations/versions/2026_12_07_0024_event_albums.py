"""event albums (EVT-1): events, their photos, guests' access, recently opened, collections

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07

An event belongs to its organiser (``owner_id``) and goes with the account. A photo is a media
item of the media pipeline attached to one event (``media_id`` is the key: a photo is in at most
one event) and goes with its event or its media item. ``event_access`` remembers the guests who
gave the password; ``event_recent`` the events each user opened (the latest few are kept);
``photo_bookmarks`` each user's collection of photos.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def _event(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["event_id"], ["events.id"], name=op.f(f"fk_{table}_event_id_events"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", UUID, nullable=False),
        sa.Column("owner_id", UUID, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("visibility", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("updated_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_events_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_owner", "events", ["owner_id", "created_at"])
    op.create_index("ix_events_visibility", "events", ["visibility", "created_at"])
    op.create_table(
        "event_photos",
        sa.Column("media_id", UUID, nullable=False),
        sa.Column("event_id", UUID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_at", TIMESTAMPTZ, nullable=False),
        _event("event_photos"),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media.id"],
            name=op.f("fk_event_photos_media_id_media"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("media_id", name=op.f("pk_event_photos")),
    )
    op.create_index("ix_event_photos_event", "event_photos", ["event_id", "position", "media_id"])
    op.create_table(
        "event_access",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("event_id", UUID, nullable=False),
        sa.Column("granted_at", TIMESTAMPTZ, nullable=False),
        _user("event_access"),
        _event("event_access"),
        sa.PrimaryKeyConstraint("user_id", "event_id", name=op.f("pk_event_access")),
    )
    op.create_index("ix_event_access_event", "event_access", ["event_id"])
    op.create_table(
        "event_recent",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("event_id", UUID, nullable=False),
        sa.Column("opened_at", TIMESTAMPTZ, nullable=False),
        _user("event_recent"),
        _event("event_recent"),
        sa.PrimaryKeyConstraint("user_id", "event_id", name=op.f("pk_event_recent")),
    )
    op.create_index("ix_event_recent_user", "event_recent", ["user_id", "opened_at"])
    op.create_index("ix_event_recent_event", "event_recent", ["event_id"])
    op.create_table(
        "photo_bookmarks",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("media_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        _user("photo_bookmarks"),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["event_photos.media_id"],
            name=op.f("fk_photo_bookmarks_media_id_event_photos"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "media_id", name=op.f("pk_photo_bookmarks")),
    )
    op.create_index("ix_photo_bookmarks_user", "photo_bookmarks", ["user_id", "created_at"])
    op.create_index("ix_photo_bookmarks_media", "photo_bookmarks", ["media_id"])


def downgrade() -> None:
    op.drop_table("photo_bookmarks")
    op.drop_table("event_recent")
    op.drop_table("event_access")
    op.drop_table("event_photos")
    op.drop_table("events")
