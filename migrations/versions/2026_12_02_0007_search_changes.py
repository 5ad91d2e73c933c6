"""search changes: the outbox that keeps the search index in step with the database

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_changes",
        sa.Column("id", UUID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_changes")),
    )
    op.create_index("ix_search_changes_created_at", "search_changes", ["created_at"])
    # Everything already posted gets indexed by the first sync after the upgrade.
    op.execute(
        "INSERT INTO search_changes (id, kind, target_id, created_at) "
        "SELECT gen_random_uuid(), 'user', id, now() FROM users"
    )
    op.execute(
        "INSERT INTO search_changes (id, kind, target_id, created_at) "
        "SELECT gen_random_uuid(), 'post', id, now() FROM posts"
    )


def downgrade() -> None:
    op.drop_index("ix_search_changes_created_at", table_name="search_changes")
    op.drop_table("search_changes")
