"""media.size_bytes: what each item counts against its owner's storage quota

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

A pending upload counts its declared (or received) size, a ready item the bytes of its
renditions, a failed one nothing. Items stored before this revision count 0: their sizes are
not known to the database, and the quota applies to what users upload from now on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A constant default: PostgreSQL adds the column without rewriting the table.
    op.add_column(
        "media", sa.Column("size_bytes", sa.BigInteger(), server_default="0", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("media", "size_bytes")
