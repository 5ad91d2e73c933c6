"""notifications: the group each is shown in (NOTIF-4)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

``group_key`` is ``<kind>:<subject>``: likes and shares of one post share ``like:<post id>`` /
``share:<post id>``, follows of one UTC day share ``follow:YYYY-MM-DD``, and every other kind
is a group of its own (``<kind>:<notification id>``): the rule of
``social.domain.notifications.model.group_key``, which fills it on insert; existing rows are
filled here with the same rule in SQL. The index reads a recipient's groups: a group's newest
notification (is there a newer one in its group?), and a group's count, actors and read state.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
UPDATE notifications SET group_key = CASE
    WHEN kind IN ('like', 'share') AND post_id IS NOT NULL THEN kind || ':' || post_id::text
    WHEN kind = 'follow' THEN 'follow:' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
    ELSE kind || ':' || id::text
END
"""


def upgrade() -> None:
    op.add_column("notifications", sa.Column("group_key", sa.Text(), nullable=True))
    op.execute(BACKFILL)
    op.alter_column("notifications", "group_key", nullable=False)
    op.create_index(
        "ix_notifications_recipient_group",
        "notifications",
        ["recipient_id", "group_key", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_recipient_group", table_name="notifications")
    op.drop_column("notifications", "group_key")
