"""Presentations in this process's memory in front of Redis: a page whose posts were shown by
this process a moment ago costs no Redis round trip and no transfer of their bytes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from social.adapters.read_model.content import PresentationStore

__all__ = ["TieredPresentationStore"]


class TieredPresentationStore:
    """Keys name one version for good (they carry revisions), so a process's copy can never be
    stale, only old: it is kept ``local_ttl_s`` at most, which adds to the age a media URL in
    it may have when handed out (``presented_ttl_s`` + ``local_ttl_s`` stays well inside the
    URLs' lifetime). Reads and writes reach Redis only for what this process lacks."""

    def __init__(
        self, local: PresentationStore, shared: PresentationStore, *, local_ttl_s: float
    ) -> None:
        self._local = local
        self._shared = shared
        self._local_ttl_s = local_ttl_s

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        found = await self._local.get_many(keys)
        missing = [i for i, value in enumerate(found) if value is None]
        if not missing:
            return found
        fetched = await self._shared.get_many([keys[i] for i in missing])
        learned: dict[str, bytes] = {}
        for i, value in zip(missing, fetched, strict=True):
            if value is not None:
                found[i] = learned[keys[i]] = value
        if learned:
            await self._local.put_many(learned, self._local_ttl_s)
        return found

    async def put_many(self, entries: Mapping[str, bytes], ttl_s: float) -> None:
        await self._local.put_many(entries, min(ttl_s, self._local_ttl_s))
        await self._shared.put_many(entries, ttl_s)
