"""Presentations in process memory: the embedded mode's cache (and each process's own, with
several API processes: keys carry revisions, so no process can serve another's stale entry)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

__all__ = ["InMemoryPresentationStore"]


class InMemoryPresentationStore:
    """Bounded: past ``max_entries`` the least recently used entries go first."""

    def __init__(
        self, *, max_entries: int = 20_000, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._max = max_entries
        self._now = now
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        now = self._now()
        entries = self._entries
        found: list[bytes | None] = []
        for key in keys:
            entry = entries.get(key)
            if entry is None:
                found.append(None)
            elif entry[0] <= now:
                del entries[key]
                found.append(None)
            else:
                entries.move_to_end(key)
                found.append(entry[1])
        return found

    async def put_many(self, entries: Mapping[str, bytes], ttl_s: float) -> None:
        expires = self._now() + ttl_s
        for key, value in entries.items():
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
