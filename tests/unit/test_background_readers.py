"""Shutdown never hangs on a background reader whose cancel was lost: on Python 3.11 a cancel that
lands as redis-py's own read timeout fires can be swallowed (the full suite hung on it once)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from uuid import UUID

from social.adapters.background import stop_task
from social.adapters.cache.session_revocations import RedisSessionRevocations
from social.adapters.realtime.redis_stream import RedisEventStream


class SwallowingPubSub:
    """A pub/sub whose read loses every cancel, as the race does: it returns "no message"."""

    channels: dict[bytes, Any] = {}

    async def subscribe(self, *channels: str) -> None:
        return None

    async def unsubscribe(self, *channels: str) -> None:
        return None

    async def get_message(self, timeout: float) -> None:  # noqa: ASYNC109  # redis-py's signature
        with contextlib.suppress(asyncio.CancelledError):  # lost, as when the timeout fires too
            await asyncio.sleep(min(timeout, 0.05))

    async def aclose(self) -> None:
        return None


class SwallowingRedis:
    def pubsub(self, **options: Any) -> SwallowingPubSub:
        return SwallowingPubSub()


async def test_stop_task_is_bounded_when_the_task_ignores_its_cancel() -> None:
    stop = asyncio.Event()

    async def stubborn() -> None:
        while not stop.is_set():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(0.01)

    task = asyncio.create_task(stubborn())
    await asyncio.wait_for(stop_task(task, timeout_s=0.2), 5)
    assert not task.done()  # the cancel was lost, and stop_task returned anyway
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_session_revocations_close_although_the_read_swallows_the_cancel() -> None:
    revocations = RedisSessionRevocations(SwallowingRedis())  # type: ignore[arg-type]
    revocations.start(
        forget_session=lambda _: None, forget_user=lambda _: None, forget_all=lambda: None
    )
    await asyncio.sleep(0.1)  # the reader is in its read loop
    await asyncio.wait_for(revocations.close(), 5)


async def test_the_event_stream_closes_although_the_read_swallows_the_cancel() -> None:
    stream = RedisEventStream(SwallowingRedis())  # type: ignore[arg-type]
    async with stream.subscribe(UUID(int=1)):
        await asyncio.sleep(0.1)  # the reader is in its read loop
        await asyncio.wait_for(stream.close(), 5)
