"""In-memory faces adapters: the index computes exact distances in Python."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import replace
from uuid import UUID

from social.domain.faces.model import DetectedFace, FaceMatch, IndexedFace, check_embedding
from social.domain.faces.reference import FaceReference

__all__ = ["InMemoryFaceIndex", "InMemoryFaceReferences", "ScriptedFaceEngine"]


class InMemoryFaceIndex:
    def __init__(self) -> None:
        self.faces: list[IndexedFace] = []

    async def replace_photo(
        self, media_id: UUID, event_id: UUID, faces: Sequence[DetectedFace]
    ) -> None:
        kept = [face for face in self.faces if face.media_id != media_id]
        added = [
            IndexedFace(media_id, event_id, face.box, check_embedding(face.embedding))
            for face in faces
        ]
        self.faces = kept + added

    async def faces_of(self, media_id: UUID) -> list[IndexedFace]:
        return sorted(
            (face for face in self.faces if face.media_id == media_id),
            key=lambda face: (face.box.left, face.box.top),
        )

    async def delete_photo(self, media_id: UUID) -> None:
        self.faces = [face for face in self.faces if face.media_id != media_id]

    async def delete_event(self, event_id: UUID) -> None:
        self.faces = [face for face in self.faces if face.event_id != event_id]

    async def search(
        self,
        embedding: Sequence[float],
        *,
        event_ids: Collection[UUID],
        max_distance: float,
        limit: int,
        after: FaceMatch | None = None,
    ) -> list[FaceMatch]:
        query = check_embedding(tuple(embedding))
        best: dict[UUID, float] = {}
        for face in self.faces:
            if face.event_id in event_ids:
                distance = math.dist(query, face.embedding)
                best[face.media_id] = min(distance, best.get(face.media_id, math.inf))
        ordered = sorted((d, m) for m, d in best.items() if d <= max_distance)
        if after is not None:
            ordered = [key for key in ordered if key > (after.distance, after.media_id)]
        return [FaceMatch(media_id, distance) for distance, media_id in ordered[:limit]]


class ScriptedFaceEngine:
    """Answers the faces set for an image's bytes (none for others)."""

    def __init__(self) -> None:
        self.faces: dict[bytes, list[DetectedFace]] = {}

    async def detect(self, image: bytes) -> list[DetectedFace]:
        return list(self.faces.get(image, []))


class InMemoryFaceReferences:
    def __init__(self) -> None:
        self.references: dict[UUID, FaceReference] = {}

    async def get(self, user_id: UUID) -> FaceReference | None:
        return self.references.get(user_id)

    async def put(self, reference: FaceReference) -> None:
        self.references[reference.user_id] = replace(
            reference, embedding=check_embedding(reference.embedding)
        )

    async def delete(self, user_id: UUID) -> bool:
        return self.references.pop(user_id, None) is not None
