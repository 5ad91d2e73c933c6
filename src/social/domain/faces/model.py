"""Faces found in event photos: where each face is, and its embedding (a point in a space where
one person's faces lie close together), so a guest's selfie finds the photos they appear in."""

from __future__ import annotations

import math
from dataclasses import dataclass
from uuid import UUID

__all__ = [
    "EMBEDDING_SIZE",
    "DetectedFace",
    "FaceBox",
    "FaceMatch",
    "IndexedFace",
    "check_embedding",
]

EMBEDDING_SIZE = 128
"""The dimension of the embeddings the engine makes (dlib's ResNet face descriptor)."""


@dataclass(frozen=True, slots=True)
class FaceBox:
    """A face's rectangle in pixels of the upright photo (``right``/``bottom`` exclusive)."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True, slots=True)
class DetectedFace:
    box: FaceBox
    embedding: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class IndexedFace:
    """A face as the index keeps it: the photo (a media item) and the event it belongs to."""

    media_id: UUID
    event_id: UUID
    box: FaceBox
    embedding: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class FaceMatch:
    """A photo whose best face lies ``distance`` (Euclidean) from the reference. Matches come
    ordered by ``(distance, media_id)``: a match is also the cursor after which the next page
    starts."""

    media_id: UUID
    distance: float


def check_embedding(embedding: tuple[float, ...]) -> tuple[float, ...]:
    """The embedding, refused (``ValueError``: a programming error, embeddings come from the
    engine) unless it has the engine's dimension and only finite numbers."""
    if len(embedding) != EMBEDDING_SIZE:
        raise ValueError(f"a face embedding has {EMBEDDING_SIZE} numbers, not {len(embedding)}")
    if any(not math.isfinite(value) for value in embedding):
        raise ValueError("a face embedding holds finite numbers only")
    return embedding
