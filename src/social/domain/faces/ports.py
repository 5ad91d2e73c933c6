"""The faces ports: the engine that finds faces in a photo, and the index that searches them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol
from uuid import UUID

from social.domain.faces.model import DetectedFace, FaceMatch, IndexedFace

__all__ = ["FaceEngine", "FaceIndex"]


class FaceEngine(Protocol):
    """Finds faces and embeds them, off the event loop, with bounded work: the photo is
    downscaled to a maximum side first (a setting), boxes are given back in the photo's own
    pixels (after its EXIF orientation)."""

    async def detect(self, image: bytes) -> list[DetectedFace]:
        """Every face found, left to right; none is an empty list. Raises ``MediaRejected`` for
        bytes that are not an image the engine decodes."""
        ...


class FaceIndex(Protocol):
    """The faces of event photos and the nearest-neighbour search over them. Distances are
    Euclidean between embeddings; a search never crosses the events it is given."""

    async def replace_photo(
        self, media_id: UUID, event_id: UUID, faces: Sequence[DetectedFace]
    ) -> int:
        """Make ``faces`` the photo's faces (those stored before are dropped): indexing a photo
        again is idempotent, and indexing it with no faces removes it from the search. A photo's
        faces live only as long as it is a photo of ``event_id``: when ``media_id`` is not (or
        no longer) one, nothing is stored and nothing is raised (it was removed meanwhile, and
        its faces went with it); removing the photo or deleting its event forgets its faces
        without any call here (the store follows the event photos). Returns how many faces
        were stored (0 when the photo is not the event's)."""
        ...

    async def faces_of(self, media_id: UUID) -> list[IndexedFace]:
        """The photo's faces, left to right then top to bottom."""
        ...

    async def delete_photo(self, media_id: UUID) -> None:
        """Forget the photo's faces; a photo with none is fine."""
        ...

    async def delete_event(self, event_id: UUID) -> None:
        """Forget the faces of every photo of the event."""
        ...

    async def search(
        self,
        embedding: Sequence[float],
        *,
        event_ids: Collection[UUID],
        max_distance: float,
        limit: int,
        after: FaceMatch | None = None,
    ) -> list[FaceMatch]:
        """The photos of ``event_ids`` with a face at most ``max_distance`` from ``embedding``,
        one entry per photo (its nearest face), nearest first and by ``media_id`` among equals;
        at most ``limit`` of them, those ordered after ``after`` when it is given."""
        ...
