"""The sockets of one process, by user: bounded queues, so one slow client costs only itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from uuid import UUID

from social.domain.notifications.model import StreamEvent

__all__ = ["LocalHub"]

log = logging.getLogger(__name__)


class LocalHub:
    """Delivery to this process's subscribers. A subscriber whose queue is full (a client that
    stopped reading) loses the event, not the others: it catches up through the list."""

    def __init__(self, queue_size: int = 256) -> None:
        self._queue_size = queue_size
        self._queues: dict[UUID, set[asyncio.Queue[StreamEvent]]] = {}

    def users(self) -> set[UUID]:
        return set(self._queues)

    def has_users(self) -> bool:
        return bool(self._queues)

    def connections(self) -> int:
        return sum(len(queues) for queues in self._queues.values())

    def deliver(self, user_id: UUID, event: StreamEvent) -> None:
        for queue in self._queues.get(user_id, ()):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                log.warning("a stream subscriber is not reading: an event was dropped")

    def join(self, user_id: UUID) -> tuple[asyncio.Queue[StreamEvent], bool]:
        """A queue for a new subscriber, and whether it is the user's first here."""
        queue: asyncio.Queue[StreamEvent] = asyncio.Queue(self._queue_size)
        queues = self._queues.setdefault(user_id, set())
        queues.add(queue)
        return queue, len(queues) == 1

    def leave(self, user_id: UUID, queue: asyncio.Queue[StreamEvent]) -> bool:
        """Drop the subscriber; whether the user has no subscriber left here."""
        queues = self._queues.get(user_id, set())
        queues.discard(queue)
        if queues:
            return False
        self._queues.pop(user_id, None)
        return True


async def drain(queue: asyncio.Queue[StreamEvent]) -> AsyncIterator[StreamEvent]:
    while True:
        yield await queue.get()
