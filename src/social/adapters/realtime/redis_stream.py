"""The event stream on Redis pub/sub, shared by every API and worker process.

One channel per user (``{prefix}{user id}``); each process holds ONE pub/sub connection and
subscribes to the channels of the users who have a socket open on it, so ten thousand sockets
cost one connection, and a publish reaches only the processes that care. A publish to many
users at once (a fan-out: ``fan_out_min`` or more) is instead ONE message on ``{prefix}fan-out``
naming its recipients, which every process with sockets reads once: a per-user copy costs
Redis, and above all the reading processes, one message each (1,000 copies took ~130 ms to
parse and route at 10,000 sockets). A reader task routes messages to the local sockets; when
Redis goes away it reconnects (redis-py re-subscribes every channel) instead of ending —
Litestar's pub/sub backend stops for good at the first error, which is why this adapter exists.
Events published meanwhile are missed; clients catch up by listing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from social.adapters.background import stop_task
from social.adapters.realtime.local_hub import LocalHub, drain
from social.domain.notifications.model import StreamEvent
from social.domain.shared.errors import Unavailable

__all__ = ["RedisEventStream"]

log = logging.getLogger(__name__)
_DEPENDENCY = "stream"


class RedisEventStream:
    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "social:stream:",
        queue_size: int = 256,
        fan_out_min: int = 16,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._fan_out = f"{prefix}fan-out"
        self._fan_out_min = fan_out_min
        self.hub = LocalHub(queue_size)
        self._closing = False
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._wanted: set[str] = set()
        """Channels of the users with a socket here: what must be subscribed, whatever redis-py
        managed to record during an outage."""
        self._resync = False

    def _channel(self, user_id: UUID) -> str:
        return f"{self._prefix}{user_id.hex}"

    async def publish(self, user_ids: Sequence[UUID], event: StreamEvent) -> None:
        if not user_ids:
            return
        body: dict[str, object] = {"event": event.event, "data": event.data}
        recipients = list(dict.fromkeys(user_ids))
        try:
            if len(recipients) >= self._fan_out_min:
                body["to"] = [user_id.hex for user_id in recipients]
                await self._redis.publish(self._fan_out, _encode(body))
                return
            payload = _encode(body)
            async with self._redis.pipeline(transaction=False) as pipe:
                for user_id in recipients:
                    pipe.publish(self._channel(user_id), payload)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            raise Unavailable("the event stream is unreachable", dependency=_DEPENDENCY) from exc

    @asynccontextmanager
    async def subscribe(self, user_id: UUID) -> AsyncIterator[AsyncIterator[StreamEvent]]:
        queue, first = self.hub.join(user_id)
        try:
            if first:
                await self._listen(user_id)
            yield drain(queue)
        finally:
            if self.hub.leave(user_id, queue):
                await self._stop_listening(user_id)

    async def close(self) -> None:
        self._closing = True  # the reader stops within a read timeout even if the cancel is lost
        if self._reader is not None:
            await stop_task(self._reader)
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _listen(self, user_id: UUID) -> None:
        channels = [self._channel(user_id)]
        async with self._lock:
            if self._fan_out not in self._wanted:
                channels.append(self._fan_out)
            self._wanted.update(channels)
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await self._pubsub.subscribe(*channels)
            except (RedisError, OSError):
                self._resync = True  # the reader subscribes it once Redis is back
                log.warning("stream subscription deferred: Redis is unreachable")
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read(), name="stream-reader")

    async def _stop_listening(self, user_id: UUID) -> None:
        channels = [self._channel(user_id)]
        async with self._lock:
            if not self.hub.has_users():  # the last socket here: fan-outs concern us no more
                channels.append(self._fan_out)
            self._wanted.difference_update(channels)
            if self._pubsub is not None:
                with contextlib.suppress(RedisError, OSError):
                    await self._pubsub.unsubscribe(*channels)

    async def _read(self) -> None:
        assert self._pubsub is not None
        pubsub = self._pubsub
        while not self._closing:
            try:
                if self._resync:
                    await self._subscribe_missing(pubsub)
                message = await pubsub.get_message(timeout=1.0)
            except (RedisError, OSError, RuntimeError):
                # RuntimeError: no connection was ever made (the first subscribe failed)
                self._resync = True
                await asyncio.sleep(1.0)  # reconnects (and re-subscribes) on the next read
                continue
            if message is None or message.get("type") != "message":
                continue
            self._route(message["channel"], message["data"])

    async def _subscribe_missing(self, pubsub: PubSub) -> None:
        async with self._lock:
            have = {c.decode() if isinstance(c, bytes) else str(c) for c in pubsub.channels}
            missing = self._wanted - have
            if missing:
                await pubsub.subscribe(*missing)
            self._resync = False

    def _route(self, channel: bytes | str, data: bytes | str) -> None:
        name = channel.decode() if isinstance(channel, bytes) else channel
        try:
            body = json.loads(data)
            event = StreamEvent(str(body["event"]), dict(body.get("data") or {}))
            if name == self._fan_out:  # the hub skips users with no socket here
                recipients = [UUID(hex=str(recipient)) for recipient in body["to"]]
            else:
                recipients = [UUID(hex=name.removeprefix(self._prefix))]
        except (ValueError, KeyError, TypeError):
            log.warning("a malformed stream message was ignored")
            return
        for user_id in recipients:
            self.hub.deliver(user_id, event)


def _encode(body: dict[str, object]) -> str:
    return json.dumps(body, separators=(",", ":"))
