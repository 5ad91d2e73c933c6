"""interactions: likes, shares, bookmarks, comments

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bookmarks",
        sa.Column("id", UUID, nullable=False),
        sa.Column("post_id", UUID, nullable=False),
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_bookmarks_post_id_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_bookmarks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookmarks")),
        sa.UniqueConstraint("user_id", "post_id", name="uq_bookmarks_user_post"),
    )
    op.create_index("ix_bookmarks_post_id", "bookmarks", ["post_id"], unique=False)
    op.create_index(
        "ix_bookmarks_user_recent", "bookmarks", ["user_id", "created_at", "id"], unique=False
    )
    op.create_table(
        "comments",
        sa.Column("id", UUID, nullable=False),
        sa.Column("post_id", UUID, nullable=False),
        sa.Column("author_id", UUID, nullable=False),
        sa.Column("parent_id", UUID, nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("replies_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_comments_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["comments.id"],
            name=op.f("fk_comments_parent_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_comments_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index("ix_comments_author_id", "comments", ["author_id"], unique=False)
    op.create_index(
        "ix_comments_parent", "comments", ["parent_id", "created_at", "id"], unique=False
    )
    op.create_index(
        "ix_comments_post_top",
        "comments",
        ["post_id", "created_at", "id"],
        unique=False,
        postgresql_where=sa.text("parent_id IS NULL"),
    )
    op.create_table(
        "likes",
        sa.Column("id", UUID, nullable=False),
        sa.Column("post_id", UUID, nullable=False),
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_likes_post_id_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_likes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_likes")),
        sa.UniqueConstraint("user_id", "post_id", name="uq_likes_user_post"),
    )
    op.create_index("ix_likes_post_recent", "likes", ["post_id", "created_at", "id"], unique=False)
    op.create_table(
        "shares",
        sa.Column("id", UUID, nullable=False),
        sa.Column("post_id", UUID, nullable=False),
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_shares_post_id_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_shares_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
        sa.UniqueConstraint("user_id", "post_id", name="uq_shares_user_post"),
    )
    op.create_index("ix_shares_post_id", "shares", ["post_id"], unique=False)
    op.create_index(
        "ix_shares_user_recent", "shares", ["user_id", "created_at", "id"], unique=False
    )
    op.create_index("ix_users_followers_count", "users", ["followers_count"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_users_followers_count", table_name="users")
    op.drop_index("ix_shares_user_recent", table_name="shares")
    op.drop_index("ix_shares_post_id", table_name="shares")
    op.drop_table("shares")
    op.drop_index("ix_likes_post_recent", table_name="likes")
    op.drop_table("likes")
    op.drop_index(
        "ix_comments_post_top", table_name="comments", postgresql_where=sa.text("parent_id IS NULL")
    )
    op.drop_index("ix_comments_parent", table_name="comments")
    op.drop_index("ix_comments_author_id", table_name="comments")
    op.drop_table("comments")
    op.drop_index("ix_bookmarks_user_recent", table_name="bookmarks")
    op.drop_index("ix_bookmarks_post_id", table_name="bookmarks")
    op.drop_table("bookmarks")
