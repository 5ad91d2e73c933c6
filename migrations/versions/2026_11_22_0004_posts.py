"""posts: posts, their ordered media, idempotency keys; media originals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)
revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", UUID, nullable=False),
        sa.Column("owner_id", UUID, nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("resource_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_idempotency_keys_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("owner_id", "scope", "key", name="uq_idempotency_keys_owner_scope_key"),
    )
    op.create_index(
        "ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"], unique=False
    )
    op.create_table(
        "posts",
        sa.Column("id", UUID, nullable=False),
        sa.Column("author_id", UUID, nullable=False),
        sa.Column("caption", sa.Text(), server_default="", nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("extra_tags", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("mentions", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("comments_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("likes_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("comments_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("shares_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("edited_at", TIMESTAMPTZ, nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_posts_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
    )
    op.create_index(
        "ix_posts_author_recent", "posts", ["author_id", "created_at", "id"], unique=False
    )
    op.create_index("ix_posts_recent", "posts", ["created_at", "id"], unique=False)
    op.create_index("ix_posts_tags", "posts", ["tags"], unique=False, postgresql_using="gin")
    op.create_table(
        "post_media",
        sa.Column("id", UUID, nullable=False),
        sa.Column("post_id", UUID, nullable=False),
        sa.Column("media_id", UUID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_post_media_media_id_media")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_post_media_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_media")),
        sa.UniqueConstraint("media_id", name="uq_post_media_media_id"),
        sa.UniqueConstraint("post_id", "position", name="uq_post_media_position"),
    )
    op.add_column("media", sa.Column("original_key", sa.Text(), nullable=True))
    op.create_index(
        "ix_media_unattached",
        "media",
        ["created_at"],
        unique=False,
        postgresql_where="purpose = 'post'",
    )


def downgrade() -> None:
    op.drop_index("ix_media_unattached", table_name="media", postgresql_where="purpose = 'post'")
    op.drop_column("media", "original_key")
    op.drop_table("post_media")
    op.drop_index("ix_posts_tags", table_name="posts", postgresql_using="gin")
    op.drop_index("ix_posts_recent", table_name="posts")
    op.drop_index("ix_posts_author_recent", table_name="posts")
    op.drop_table("posts")
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
