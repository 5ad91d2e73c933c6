"""search: post documents for the PostgreSQL search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_post_documents",
        sa.Column("id", UUID, nullable=False),
        sa.Column("author_id", UUID, nullable=False),
        sa.Column("caption", sa.Text(), server_default="", nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_post_documents")),
    )
    op.create_index(
        "ix_search_post_documents_created_at_id",
        "search_post_documents",
        ["created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_search_post_documents_tags",
        "search_post_documents",
        ["tags"],
        unique=False,
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_search_post_documents_tags",
        table_name="search_post_documents",
        postgresql_using="gin",
    )
    op.drop_index("ix_search_post_documents_created_at_id", table_name="search_post_documents")
    op.drop_table("search_post_documents")
