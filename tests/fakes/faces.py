"""In-memory faces adapters: the index computes exact distances in Python."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.faces.model import DetectedFace, FaceMatch, IndexedFace, check_embedding
from social.domain.faces.reference import FaceReference

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemoryFaceIndex", "InMemoryFaceReferences", "ScriptedFaceEngine", "event_photos_of"]


def event_photos_of(store: AccountsStore) -> Callable[[UUID, UUID], bool]:
    """``is_photo`` over the fake database's committed event photos (what a job sees)."""

    def is_photo(media_id: UUID, event_id: UUID) -> bool:
        photo = store.event_photos.get(media_id)
        return photo is not None and photo.event_id == event_id

    return is_photo


class InMemoryFaceIndex:
    """Keeps faces only of event photos, like the foreign key to ``event_photos``: which
    (media, event) pairs are photos is asked of ``is_photo`` (the harness passes the fake
    database's event photos), else of the index's own registry (``add_photo`` /
    ``remove_photo`` / ``remove_event``). Faces of a pair that stopped being a photo are
    dropped before every call, as the cascade would have."""

    def __init__(self, is_photo: Callable[[UUID, UUID], bool] | None = None) -> None:
        self.faces: list[IndexedFace] = []
        self.photos: set[tuple[UUID, UUID]] = set()
        self._is_photo = is_photo or (
            lambda media_id, event_id: (media_id, event_id) in self.photos
        )

    def add_photo(self, media_id: UUID, event_id: UUID) -> None:
        """The registry: ``media_id`` is now a photo of ``event_id`` (an ``event_photos`` row)."""
        self.photos.add((media_id, event_id))

    def remove_photo(self, media_id: UUID) -> None:
        self.photos = {pair for pair in self.photos if pair[0] != media_id}
        self._cascade()

    def remove_event(self, event_id: UUID) -> None:
        self.photos = {pair for pair in self.photos if pair[1] != event_id}
        self._cascade()

    def _cascade(self) -> None:
        self.faces = [face for face in self.faces if self._is_photo(face.media_id, face.event_id)]

    async def replace_photo(
        self, media_id: UUID, event_id: UUID, faces: Sequence[DetectedFace]
    ) -> int:
        added = [
            IndexedFace(media_id, event_id, face.box, check_embedding(face.embedding))
            for face in faces
        ]
        self._cascade()
        if not self._is_photo(media_id, event_id):
            return 0  # removed meanwhile: nothing to keep
        kept = [face for face in self.faces if face.media_id != media_id]
        self.faces = kept + added
        return len(added)

    async def faces_of(self, media_id: UUID) -> list[IndexedFace]:
        self._cascade()
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
        self._cascade()
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
