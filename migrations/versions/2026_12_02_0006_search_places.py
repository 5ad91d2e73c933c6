"""search places: a bounding-box index for distance searches over public post locations

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)
TIMESTAMPTZ = sa.DateTime(timezone=True)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCATED_PUBLIC = sa.text("latitude IS NOT NULL AND visibility = 'public'")


def upgrade() -> None:
    op.create_index(
        "ix_search_post_documents_location",
        "search_post_documents",
        ["latitude", "longitude"],
        unique=False,
        postgresql_where=LOCATED_PUBLIC,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_search_post_documents_location",
        table_name="search_post_documents",
        postgresql_where=LOCATED_PUBLIC,
    )
