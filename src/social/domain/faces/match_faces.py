"""Match a reference face against the faces of events: the search behind "find my photos"."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from uuid import UUID

from social.domain.faces.model import FaceMatch, check_embedding
from social.domain.faces.ports import FaceIndex

__all__ = ["MatchFaces"]


class MatchFaces:
    """Rules: only the events given are searched (the caller decides which events the user may
    open); a photo matches when one of its faces lies within the threshold (a setting: dlib's
    embeddings put one person's faces within ~0.6); best first, one entry per photo, pages
    continue after the last match of the previous one."""

    def __init__(self, *, index: FaceIndex, max_distance: float) -> None:
        self._index = index
        self._max_distance = max_distance

    async def execute(
        self,
        reference: Sequence[float],
        event_ids: Collection[UUID],
        *,
        limit: int,
        after: FaceMatch | None = None,
    ) -> list[FaceMatch]:
        if not event_ids or limit <= 0:
            return []
        return await self._index.search(
            check_embedding(tuple(reference)),
            event_ids=event_ids,
            max_distance=self._max_distance,
            limit=limit,
            after=after,
        )
