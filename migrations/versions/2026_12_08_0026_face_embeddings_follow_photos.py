"""face embeddings follow their photo (EVT-2): biometric data never outlives the event photo

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08

Until now nothing tied a face row to its photo: removing a photo from an event, deleting the
event or purging the organiser (users → events → event_photos cascade) left the faces behind.
Faces whose (photo, event) is not an event photo any more are deleted first, then a composite
foreign key (``media_id, event_id``) → ``event_photos`` with ``ON DELETE CASCADE`` makes the
database remove them with the photo, whichever way it goes, and keeps a face row from claiming
an event its photo is not in. The key needs a unique constraint on ``event_photos(media_id,
event_id)``: ``media_id`` is already its primary key, so it holds by construction and is cheap.
The cascade finds a photo's faces through ``ix_face_embeddings_media_id``. The downgrade drops
the key and the constraint (the deleted orphans stay deleted).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE = "uq_event_photos_media_id_event_id"
FOREIGN_KEY = "fk_face_embeddings_media_id_event_photos"


def upgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM face_embeddings AS f WHERE NOT EXISTS ("
            " SELECT 1 FROM event_photos AS p"
            " WHERE p.media_id = f.media_id AND p.event_id = f.event_id)"
        )
    )
    op.create_unique_constraint(UNIQUE, "event_photos", ["media_id", "event_id"])
    op.create_foreign_key(
        FOREIGN_KEY,
        "face_embeddings",
        "event_photos",
        ["media_id", "event_id"],
        ["media_id", "event_id"],
        ondelete="CASCADE",
    )


def downgrade() -> None:
    op.drop_constraint(FOREIGN_KEY, "face_embeddings", type_="foreignkey")
    op.drop_constraint(UNIQUE, "event_photos", type_="unique")
