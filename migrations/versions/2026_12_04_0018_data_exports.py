"""data exports (AUTH-10): one row per archive asked for, at most one pending per user; the
indexes that let an export page through a user's likes and comments

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_exports",
        sa.Column("id", UUID, nullable=False),
        sa.Column("owner_id", UUID, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("expires_at", TIMESTAMPTZ, nullable=False),
        sa.Column("object_key", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("finished_at", TIMESTAMPTZ, nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_data_exports_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
    )
    op.create_index(
        "uq_data_exports_one_pending",
        "data_exports",
        ["owner_id"],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index("ix_data_exports_owner_recent", "data_exports", ["owner_id", "created_at"])
    op.create_index(
        "ix_data_exports_ready_expiry",
        "data_exports",
        ["expires_at"],
        postgresql_where=sa.text("status = 'ready'"),
    )
    op.create_index("ix_likes_user_recent", "likes", ["user_id", "created_at", "id"])
    op.create_index("ix_comments_author_recent", "comments", ["author_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_comments_author_recent", table_name="comments")
    op.drop_index("ix_likes_user_recent", table_name="likes")
    op.drop_table("data_exports")
