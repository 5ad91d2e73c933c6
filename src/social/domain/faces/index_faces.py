"""The background half of face search: find the faces of one event photo and index them."""

from __future__ import annotations

import logging
from dataclasses import replace
from uuid import UUID

from social.domain.faces.model import DetectedFace, FaceBox
from social.domain.faces.ports import FaceEngine, FaceIndex
from social.domain.media.errors import MediaRejected, ObjectNotFound
from social.domain.media.model import MediaItem, MediaKind, MediaStatus, Variant
from social.domain.media.ports import MediaStorage, MediaUnitOfWorkFactory
from social.domain.shared.errors import Unavailable

__all__ = ["IndexFaces", "analysed_variant"]

log = logging.getLogger(__name__)

_PREFERRED = "large"


class IndexFaces:
    """Rules: a photo still being processed is retried later (``Unavailable``): its variants do
    not exist yet; a photo that is gone, failed, a video or undecodable has no faces (any stored
    are dropped). Idempotent: a rerun replaces the photo's faces with the same ones. The work
    reads the largest variant (the original, with its EXIF, is deleted once processed); the
    engine bounds it further by its maximum side."""

    def __init__(
        self,
        *,
        uow: MediaUnitOfWorkFactory,
        storage: MediaStorage,
        engine: FaceEngine,
        index: FaceIndex,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._engine = engine
        self._index = index

    async def execute(self, media_id: UUID, event_id: UUID) -> int:
        """The number of faces now indexed for the photo."""
        async with self._uow() as uow:
            item = await uow.media.get(media_id)
        if item is not None and item.status is MediaStatus.PROCESSING:
            raise Unavailable("The photo is still being processed.", dependency="media")
        variant = analysed_variant(item) if item is not None else None
        faces: list[DetectedFace] = []
        if item is not None and variant is not None:
            try:
                faces = _scaled(
                    await self._engine.detect(await self._storage.get(variant.key)), item, variant
                )
            except (ObjectNotFound, MediaRejected):
                faces = []  # deleted meanwhile, or not an image the engine reads
        stored = await self._index.replace_photo(media_id, event_id, faces)
        log.info(
            "faces indexed",
            extra={"media_id": str(media_id), "faces": stored, "detected": len(faces)},
        )
        return stored


def analysed_variant(item: MediaItem) -> Variant | None:
    """The variant faces are found in: ``large``, else the widest image variant; none for a
    video or an item that is not ready."""
    if item.kind is not MediaKind.IMAGE or item.status is not MediaStatus.READY:
        return None
    images = [v for v in item.variants if v.content_type.startswith("image/")]
    named = [v for v in images if v.name == _PREFERRED]
    ranked = named or sorted(images, key=lambda v: v.width * v.height, reverse=True)
    return ranked[0] if ranked else None


def _scaled(faces: list[DetectedFace], item: MediaItem, variant: Variant) -> list[DetectedFace]:
    """Boxes in the photo's own pixels (the variant is a downscaled copy of it)."""
    if not item.width or not variant.width or item.width == variant.width:
        return faces
    factor = item.width / variant.width

    def scale(box: FaceBox) -> FaceBox:
        return FaceBox(
            *(round(side * factor) for side in (box.left, box.top, box.right, box.bottom))
        )

    return [replace(face, box=scale(face.box)) for face in faces]
