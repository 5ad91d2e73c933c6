"""face embeddings (EVT-2): one row per face found in an event photo; users' face references

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07

The same table on every PostgreSQL (the embedding is a ``real[]``), so the embedded server
without extensions runs it too. Where the ``vector`` extension is installed (the embedded
server's ``pgserver`` wheel bundles it; Debian's ``postgresql-NN-pgvector`` where packaged, not
in Debian 12) it is enabled here, and ``SOCIAL_FACE_INDEX=auto`` then searches with it; where it
is missing or may not be created, nothing fails and the exact search serves. The downgrade
leaves the extension (other objects may use it). ``face_references``: one consented selfie
embedding per user at most, deleted with the account. No ANN index: a search is
always within the events a user opens (one event's few thousand faces), where an exact scan
over the ``event_id`` index is both complete and fast; an HNSW index filtered by event would
lose matches (it post-filters) for no gain at that size.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UUID = postgresql.UUID(as_uuid=True)

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "face_embeddings",
        sa.Column("id", UUID, nullable=False),
        sa.Column("media_id", UUID, nullable=False),
        sa.Column("event_id", UUID, nullable=False),
        sa.Column("box_left", sa.Integer(), nullable=False),
        sa.Column("box_top", sa.Integer(), nullable=False),
        sa.Column("box_right", sa.Integer(), nullable=False),
        sa.Column("box_bottom", sa.Integer(), nullable=False),
        sa.Column("embedding", postgresql.ARRAY(postgresql.REAL()), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_face_embeddings")),
    )
    op.create_index("ix_face_embeddings_event_media", "face_embeddings", ["event_id", "media_id"])
    op.create_index("ix_face_embeddings_media_id", "face_embeddings", ["media_id"])
    op.create_table(
        "face_references",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("embedding", postgresql.ARRAY(postgresql.REAL()), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_face_references_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_face_references")),
    )
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
    ).scalar()
    if available:
        try:  # a role that may not create it leaves the exact search
            with bind.begin_nested():
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
        except sa.exc.DBAPIError:
            pass


def downgrade() -> None:
    op.drop_table("face_references")
    op.drop_index("ix_face_embeddings_media_id", table_name="face_embeddings")
    op.drop_index("ix_face_embeddings_event_media", table_name="face_embeddings")
    op.drop_table("face_embeddings")
