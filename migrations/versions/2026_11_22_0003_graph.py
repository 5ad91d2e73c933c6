"""graph: follows, follow requests, blocks, mutes; media records; the job outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_jobs",
        sa.Column("id", UUID, nullable=False),
        sa.Column("job", sa.String(length=100), nullable=False),
        sa.Column("arguments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_jobs")),
    )
    op.create_index("ix_outbox_jobs_created_at", "outbox_jobs", ["created_at"], unique=False)
    op.create_table(
        "blocks",
        sa.Column("id", UUID, nullable=False),
        sa.Column("blocker_id", UUID, nullable=False),
        sa.Column("blocked_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["blocked_id"],
            ["users.id"],
            name=op.f("fk_blocks_blocked_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"],
            ["users.id"],
            name=op.f("fk_blocks_blocker_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocks")),
        sa.UniqueConstraint("blocker_id", "blocked_id", name="uq_blocks_pair"),
    )
    op.create_index("ix_blocks_blocked_id", "blocks", ["blocked_id"], unique=False)
    op.create_table(
        "follow_requests",
        sa.Column("id", UUID, nullable=False),
        sa.Column("requester_id", UUID, nullable=False),
        sa.Column("target_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["users.id"],
            name=op.f("fk_follow_requests_requester_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["users.id"],
            name=op.f("fk_follow_requests_target_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_requests")),
        sa.UniqueConstraint("requester_id", "target_id", name="uq_follow_requests_pair"),
    )
    op.create_index(
        "ix_follow_requests_target_recent",
        "follow_requests",
        ["target_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "follows",
        sa.Column("id", UUID, nullable=False),
        sa.Column("follower_id", UUID, nullable=False),
        sa.Column("followee_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["followee_id"],
            ["users.id"],
            name=op.f("fk_follows_followee_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follower_id"],
            ["users.id"],
            name=op.f("fk_follows_follower_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("follower_id", "followee_id", name="uq_follows_pair"),
    )
    op.create_index(
        "ix_follows_followee_recent", "follows", ["followee_id", "created_at", "id"], unique=False
    )
    op.create_index(
        "ix_follows_follower_recent", "follows", ["follower_id", "created_at", "id"], unique=False
    )
    op.create_table(
        "media",
        sa.Column("id", UUID, nullable=False),
        sa.Column("owner_id", UUID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("blurhash", sa.String(length=64), nullable=True),
        sa.Column(
            "variants", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("alt_text", sa.Text(), nullable=True),
        sa.Column("duration_s", sa.Double(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_media_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
    )
    op.create_index("ix_media_owner_id", "media", ["owner_id"], unique=False)
    op.create_table(
        "mutes",
        sa.Column("id", UUID, nullable=False),
        sa.Column("muter_id", UUID, nullable=False),
        sa.Column("muted_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["muted_id"], ["users.id"], name=op.f("fk_mutes_muted_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["muter_id"], ["users.id"], name=op.f("fk_mutes_muter_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mutes")),
        sa.UniqueConstraint("muter_id", "muted_id", name="uq_mutes_pair"),
    )
    op.create_index("ix_mutes_muted_id", "mutes", ["muted_id"], unique=False)
    op.create_foreign_key(
        "fk_users_avatar_media_id",
        "users",
        "media",
        ["avatar_media_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint("fk_users_avatar_media_id", "users", type_="foreignkey")
    op.drop_index("ix_mutes_muted_id", table_name="mutes")
    op.drop_table("mutes")
    op.drop_index("ix_media_owner_id", table_name="media")
    op.drop_table("media")
    op.drop_index("ix_follows_follower_recent", table_name="follows")
    op.drop_index("ix_follows_followee_recent", table_name="follows")
    op.drop_table("follows")
    op.drop_index("ix_follow_requests_target_recent", table_name="follow_requests")
    op.drop_table("follow_requests")
    op.drop_index("ix_blocks_blocked_id", table_name="blocks")
    op.drop_table("blocks")
    op.drop_index("ix_outbox_jobs_created_at", table_name="outbox_jobs")
    op.drop_table("outbox_jobs")
