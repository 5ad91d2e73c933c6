"""The event stream inside one process (the embedded mode: one API process, jobs inside it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from social.adapters.realtime.local_hub import LocalHub, drain
from social.domain.notifications.model import StreamEvent

__all__ = ["InMemoryEventStream"]


class InMemoryEventStream:
    def __init__(self, queue_size: int = 256) -> None:
        self.hub = LocalHub(queue_size)

    async def publish(self, user_ids: Sequence[UUID], event: StreamEvent) -> None:
        for user_id in dict.fromkeys(user_ids):  # a user named twice gets it once
            self.hub.deliver(user_id, event)

    @asynccontextmanager
    async def subscribe(self, user_id: UUID) -> AsyncIterator[AsyncIterator[StreamEvent]]:
        queue, _ = self.hub.join(user_id)
        try:
            yield drain(queue)
        finally:
            self.hub.leave(user_id, queue)
