"""account_tokens, username_holds, users.email_verified_at: mailed single-use tokens (email
verification, password reset), deleted accounts' usernames held for a while

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04

Accounts made before this revision start unverified (``email_verified_at`` NULL): their owners
can ask for the verification mail.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email_verified_at", TIMESTAMPTZ, nullable=True))
    op.create_table(
        "account_tokens",
        sa.Column("id", UUID, nullable=False),
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("expires_at", TIMESTAMPTZ, nullable=False),
        sa.Column("used_at", TIMESTAMPTZ, nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("token_hash", name="uq_account_tokens_token_hash"),
    )
    op.create_index("ix_account_tokens_expires_at", "account_tokens", ["expires_at"])
    op.create_index("ix_account_tokens_user_purpose", "account_tokens", ["user_id", "purpose"])
    op.create_table(
        "username_holds",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("until", TIMESTAMPTZ, nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_username_holds")),
    )
    op.create_index("ix_username_holds_until", "username_holds", ["until"])


def downgrade() -> None:
    op.drop_index("ix_username_holds_until", table_name="username_holds")
    op.drop_table("username_holds")
    op.drop_index("ix_account_tokens_user_purpose", table_name="account_tokens")
    op.drop_index("ix_account_tokens_expires_at", table_name="account_tokens")
    op.drop_table("account_tokens")
    op.drop_column("users", "email_verified_at")
