"""The tables of faces (EVT-2): one row per face found in an event photo, with its embedding,
and the users' consented face references.

The embedding is a plain ``real[]`` so the table is the same on every PostgreSQL: the exact
adapter computes distances in SQL, the pgvector adapter casts the array to ``vector`` (see
``adapters/faces/``). A face row belongs to its event photo (a composite foreign key on
``media_id, event_id``, migration 0026): it goes with the photo however the photo goes (removed,
its event deleted, its organiser purged) and never claims an event its photo is not in.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import DefaultBase, UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, Integer
from sqlalchemy.dialects.postgresql import ARRAY, REAL
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["FaceEmbeddingRow", "FaceReferenceRow"]


class FaceEmbeddingRow(UUIDv7Base):
    """Searched by event (the index on ``event_id, media_id``), replaced and deleted by photo."""

    __tablename__ = "face_embeddings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["media_id", "event_id"],
            ["event_photos.media_id", "event_photos.event_id"],
            name="fk_face_embeddings_media_id_event_photos",
            ondelete="CASCADE",
        ),
        Index("ix_face_embeddings_event_media", "event_id", "media_id"),
        Index("ix_face_embeddings_media_id", "media_id"),
    )

    media_id: Mapped[UUID]
    event_id: Mapped[UUID]
    box_left: Mapped[int] = mapped_column(Integer)
    box_top: Mapped[int] = mapped_column(Integer)
    box_right: Mapped[int] = mapped_column(Integer)
    box_bottom: Mapped[int] = mapped_column(Integer)
    embedding: Mapped[list[float]] = mapped_column(ARRAY(REAL))
    """128 numbers (dlib's face descriptor)."""


class FaceReferenceRow(DefaultBase):
    """A user's selfie embedding, kept only with consent (``consented_at``); goes with the
    account (the purge deletes the user row)."""

    __tablename__ = "face_references"

    user_id: Mapped[UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    embedding: Mapped[list[float]] = mapped_column(ARRAY(REAL))
    consented_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
