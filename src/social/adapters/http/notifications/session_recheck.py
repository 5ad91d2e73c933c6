"""The heartbeats' session checks, coalesced: every open socket re-checks its session at each
heartbeat, and at 10,000 sockets one query per check was 400 queries a second and most of an
idle process's CPU (docs/benchmarks.md, WebSocket stream). Checks that arrive within
``window_s`` of each other go to the database as one query."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from uuid import UUID

from social.domain.shared.identity import Viewer

__all__ = ["SessionRecheck"]

Check = Callable[[Collection[Viewer]], Awaitable[set[UUID]]]


class SessionRecheck:
    def __init__(self, check: Check, *, window_s: float = 0.1) -> None:
        self._check = check
        self._window = window_s
        self._pending: list[tuple[Viewer, asyncio.Future[bool]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.batches = 0
        """Lookups made (one per window with checks in it)."""

    async def standing(self, viewer: Viewer) -> bool:
        """Whether the viewer's session still stands; raises what the lookup raised."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((viewer, future))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush_soon(), name="session-recheck")
        return await future

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self._window)
        batch, self._pending, self._flusher = self._pending, [], None  # later checks: next window
        waiting = [(viewer, future) for viewer, future in batch if not future.done()]
        if not waiting:
            return
        self.batches += 1
        try:
            standing = await self._check([viewer for viewer, _ in waiting])
        except Exception as error:  # each socket decides what a failed check means
            for _, future in waiting:
                if not future.done():
                    future.set_exception(error)
            return
        for viewer, future in waiting:
            if not future.done():
                future.set_result(viewer.session_id in standing)
