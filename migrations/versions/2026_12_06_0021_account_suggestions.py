"""Suggested accounts (DISC-1): the per-user store a job computes, its runs, and dismissals

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

``account_suggestions`` holds each user's ranked suggestions (at most
``SOCIAL_SUGGESTIONS_KEPT`` a user), replaced whole by the job; the endpoint reads one user's
rows through the primary key's prefix. ``account_suggestion_runs`` says when a user's were
last computed: the periodic job finds stale users through its ``computed_at`` index, and a
user without a row has never been computed. ``suggestion_dismissals`` keeps for good whom a
user does not want suggested. Every row goes with either account (ON DELETE CASCADE); the
``candidate_id`` indexes keep those cascades from scanning the tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=f"fk_{table}_{column}_users", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "account_suggestions",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("candidate_id", UUID, nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("reason_kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("computed_at", TIMESTAMPTZ, nullable=False),
        _user_fk("account_suggestions", "user_id"),
        _user_fk("account_suggestions", "candidate_id"),
        sa.PrimaryKeyConstraint("user_id", "candidate_id", name="pk_account_suggestions"),
    )
    op.create_index("ix_account_suggestions_candidate_id", "account_suggestions", ["candidate_id"])
    op.create_table(
        "account_suggestion_runs",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("computed_at", TIMESTAMPTZ, nullable=False),
        _user_fk("account_suggestion_runs", "user_id"),
        sa.PrimaryKeyConstraint("user_id", name="pk_account_suggestion_runs"),
    )
    op.create_index(
        "ix_account_suggestion_runs_computed_at", "account_suggestion_runs", ["computed_at"]
    )
    op.create_table(
        "suggestion_dismissals",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("candidate_id", UUID, nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False),
        _user_fk("suggestion_dismissals", "user_id"),
        _user_fk("suggestion_dismissals", "candidate_id"),
        sa.PrimaryKeyConstraint("user_id", "candidate_id", name="pk_suggestion_dismissals"),
    )
    op.create_index(
        "ix_suggestion_dismissals_candidate_id", "suggestion_dismissals", ["candidate_id"]
    )


def downgrade() -> None:
    op.drop_table("suggestion_dismissals")
    op.drop_table("account_suggestion_runs")
    op.drop_table("account_suggestions")
