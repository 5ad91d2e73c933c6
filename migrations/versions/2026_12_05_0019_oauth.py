"""OAuth 2 of the client-app API: registered apps, authorization codes, access tokens

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05

Client secrets, codes and tokens are stored only as SHA-256 hashes (256 random bits each).
Codes and tokens go with their account (ON DELETE CASCADE); a token acting for an account
belongs to one of its sessions and goes with it too.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "oauth_apps",
        sa.Column("id", UUID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("redirect_uris", sa.Text(), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("client_secret_hash", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_apps")),
        sa.UniqueConstraint("client_id", name="uq_oauth_apps_client_id"),
    )
    op.create_table(
        "oauth_authorization_codes",
        sa.Column("id", UUID, nullable=False),
        sa.Column("code_hash", sa.LargeBinary(), nullable=False),
        sa.Column("app_id", UUID, nullable=False),
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("code_challenge", sa.String(length=128), nullable=True),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("expires_at", TIMESTAMPTZ, nullable=False),
        sa.Column("used_at", TIMESTAMPTZ, nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        _fk("oauth_authorization_codes", "app_id", "oauth_apps"),
        _fk("oauth_authorization_codes", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_authorization_codes")),
        sa.UniqueConstraint("code_hash", name="uq_oauth_authorization_codes_code_hash"),
    )
    op.create_index(
        "ix_oauth_authorization_codes_expires_at", "oauth_authorization_codes", ["expires_at"]
    )
    op.create_index(
        "ix_oauth_authorization_codes_user_id", "oauth_authorization_codes", ["user_id"]
    )
    op.create_index("ix_oauth_authorization_codes_app_id", "oauth_authorization_codes", ["app_id"])
    op.create_table(
        "oauth_access_tokens",
        sa.Column("id", UUID, nullable=False),
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.Column("app_id", UUID, nullable=False),
        sa.Column("user_id", UUID, nullable=True),
        sa.Column("session_id", UUID, nullable=True),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        sa.Column("revoked_at", TIMESTAMPTZ, nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        _fk("oauth_access_tokens", "app_id", "oauth_apps"),
        _fk("oauth_access_tokens", "user_id", "users"),
        _fk("oauth_access_tokens", "session_id", "auth_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_access_tokens")),
        sa.UniqueConstraint("token_hash", name="uq_oauth_access_tokens_token_hash"),
    )
    op.create_index("ix_oauth_access_tokens_session_id", "oauth_access_tokens", ["session_id"])
    op.create_index("ix_oauth_access_tokens_user_id", "oauth_access_tokens", ["user_id"])
    op.create_index("ix_oauth_access_tokens_app_id", "oauth_access_tokens", ["app_id"])


def downgrade() -> None:
    op.drop_table("oauth_access_tokens")
    op.drop_table("oauth_authorization_codes")
    op.drop_table("oauth_apps")
