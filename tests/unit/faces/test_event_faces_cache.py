"""The exact search's per-process cache of events' faces: fresh for its TTL, bounded in bytes."""

from __future__ import annotations

from uuid import UUID

import numpy as np

from social.adapters.faces.event_faces_cache import EventFaces, EventFacesCache
from social.domain.shared.ids import new_id


class Loader:
    def __init__(self, faces: int = 10) -> None:
        self.loads: list[UUID] = []
        self.faces = faces

    async def __call__(self, event_id: UUID) -> EventFaces:
        self.loads.append(event_id)
        matrix = np.full((self.faces, 128), len(self.loads), dtype=np.float32)
        return EventFaces(tuple(new_id() for _ in range(self.faces)), matrix)


SIZE = 10 * 128 * 4 + 10 * 16  # bytes of ten faces


async def test_fresh_faces_come_from_memory_and_stale_ones_are_loaded_again() -> None:
    now = [100.0]
    cache, load, event = EventFacesCache(ttl_s=10, clock=lambda: now[0]), Loader(), new_id()
    first = await cache.get(event, load)
    now[0] += 9.9
    assert await cache.get(event, load) is first and load.loads == [event]
    now[0] += 0.2
    second = await cache.get(event, load)
    assert second is not first and float(second.embeddings[0, 0]) == 2.0
    cache.forget(event)
    await cache.get(event, load)
    assert load.loads == [event, event, event]


async def test_the_byte_budget_drops_the_least_recently_used_event() -> None:
    cache, load = EventFacesCache(ttl_s=60, max_bytes=2 * SIZE), Loader()
    a, b, c = new_id(), new_id(), new_id()
    await cache.get(a, load)
    await cache.get(b, load)
    await cache.get(a, load)  # a is now the most recent
    await cache.get(c, load)  # b leaves
    assert load.loads == [a, b, c]
    await cache.get(a, load)
    await cache.get(c, load)
    assert load.loads == [a, b, c]
    await cache.get(b, load)
    assert load.loads == [a, b, c, b]


async def test_an_event_larger_than_the_budget_and_a_zero_ttl_are_never_kept() -> None:
    big = Loader(faces=100)
    cache = EventFacesCache(ttl_s=60, max_bytes=SIZE)
    event = new_id()
    await cache.get(event, big)
    await cache.get(event, big)
    assert len(big.loads) == 2
    off, load = EventFacesCache(ttl_s=0), Loader()
    await off.get(event, load)
    await off.get(event, load)
    assert len(load.loads) == 2
