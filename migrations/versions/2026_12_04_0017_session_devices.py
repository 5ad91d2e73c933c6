"""auth_sessions: the device of each session (AUTH-9); blocks and mutes listed by their owner
(PROF-3)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10

A session remembers the user agent and the coarse network (IPv4 /24, IPv6 /48) it signed in
from, and when it was last used (its latest sign-in or refresh). Sessions opened before this
revision have none of these: they list with an empty agent, no network, and their creation as
their last use. The two indexes page a user's own block and mute lists newest first.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable or with a constant default: PostgreSQL adds them without rewriting the table.
    op.add_column(
        "auth_sessions",
        sa.Column("user_agent", sa.String(length=256), server_default="", nullable=False),
    )
    op.add_column("auth_sessions", sa.Column("ip", sa.String(length=64), nullable=True))
    op.add_column(
        "auth_sessions",
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_blocks_blocker_recent", "blocks", ["blocker_id", "created_at", "id"])
    op.create_index("ix_mutes_muter_recent", "mutes", ["muter_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_mutes_muter_recent", table_name="mutes")
    op.drop_index("ix_blocks_blocker_recent", table_name="blocks")
    op.drop_column("auth_sessions", "last_used_at")
    op.drop_column("auth_sessions", "ip")
    op.drop_column("auth_sessions", "user_agent")
