"""The faces of recently searched events, kept in the API process for the exact search.

Without pgvector a search fetches every face of the event (4,000 faces: ~2 MB, ~70 ms of CPU
between PostgreSQL and the API process); a guest scrolling "my photos", and every guest of a
busy event, would pay that on each page. The matrix of an event is kept here for ``ttl_s``:
a photo indexed meanwhile appears in the search up to ``ttl_s`` later (indexing is a background
job anyway), and a photo removed meanwhile is still matched that long but never shown (the use
case keeps only photos still in the event). Bounded by ``max_bytes`` (least recently used
events leave first; an event larger than the budget is never kept).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import numpy as np

__all__ = ["EventFaces", "EventFacesCache"]


@dataclass(frozen=True, slots=True)
class EventFaces:
    """One row of ``embeddings`` (float32) per face; ``media_ids[i]`` is row ``i``'s photo."""

    media_ids: tuple[UUID, ...]
    embeddings: np.ndarray[Any, np.dtype[np.float32]]

    @property
    def nbytes(self) -> int:
        return int(self.embeddings.nbytes) + 16 * len(self.media_ids)


class EventFacesCache:
    def __init__(
        self,
        *,
        ttl_s: float = 10.0,
        max_bytes: int = 64 * 1024 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl_s = ttl_s
        self._max_bytes = max_bytes
        self._clock = clock
        self._kept: OrderedDict[UUID, tuple[float, EventFaces]] = OrderedDict()
        self._bytes = 0

    async def get(
        self, event_id: UUID, load: Callable[[UUID], Awaitable[EventFaces]]
    ) -> EventFaces:
        """The event's faces, from memory while fresh, else ``load``ed (and kept if they fit)."""
        now = self._clock()
        found = self._kept.get(event_id)
        if found is not None and now - found[0] < self._ttl_s:
            self._kept.move_to_end(event_id)
            return found[1]
        faces = await load(event_id)
        self.forget(event_id)
        if self._ttl_s > 0 and faces.nbytes <= self._max_bytes:
            self._kept[event_id] = (now, faces)
            self._bytes += faces.nbytes
            while self._bytes > self._max_bytes:
                _, (_, oldest) = self._kept.popitem(last=False)
                self._bytes -= oldest.nbytes
        return faces

    def forget(self, event_id: UUID) -> None:
        """Drop the event's faces (this process changed them: the next search reloads)."""
        gone = self._kept.pop(event_id, None)
        if gone is not None:
            self._bytes -= gone[1].nbytes
