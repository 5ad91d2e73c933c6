"""Session revocations told to every process over Redis pub/sub, so each process's cache of
live sessions can keep them long and still forget a revoked one at once.

A revocation (a logout, a password change, a stolen refresh token, a suspension, a role change)
is one message on ``{prefix}revoked``: ``s:<session id hex>`` or ``u:<user id hex>``. Every
process reads the channel with one pub/sub connection and forgets what it names. A process that
may have missed messages (its reader lost Redis) forgets everything it cached once it is back,
so a lost message costs the database a few lookups, never a revoked session that still works.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from social.adapters.background import stop_task

__all__ = ["RedisSessionRevocations"]

log = logging.getLogger(__name__)


class RedisSessionRevocations:
    def __init__(self, redis: Redis, *, prefix: str = "social:sessions:") -> None:
        self._redis = redis
        self._channel = f"{prefix}revoked"
        self._reader: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()
        self._closing = False

    def session(self, session_id: UUID) -> None:
        self._send(f"s:{session_id.hex}")

    def user(self, user_id: UUID) -> None:
        self._send(f"u:{user_id.hex}")

    def start(
        self,
        *,
        forget_session: Callable[[UUID], None],
        forget_user: Callable[[UUID], None],
        forget_all: Callable[[], None],
    ) -> None:
        """Read the channel in the background until ``close``."""
        self._reader = asyncio.create_task(
            self._read(forget_session, forget_user, forget_all), name="session-revocations"
        )

    async def close(self) -> None:
        if self._sending:
            await asyncio.wait(self._sending, timeout=2)
        self._closing = True  # the reader stops within a read timeout even if the cancel is lost
        if self._reader is not None:
            await stop_task(self._reader)

    def _send(self, message: str) -> None:
        """In the background: the revoking request has its answer already (its own process
        forgot the session at once); a publish that fails is logged (the others forget it once
        their entry expires, or at once if they lost Redis too: see ``_read``)."""
        task = asyncio.get_running_loop().create_task(self._publish(message))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _publish(self, message: str) -> None:
        try:
            await self._redis.publish(self._channel, message)
        except (RedisError, OSError):
            log.warning("a session revocation could not be told to the other processes")

    async def _read(
        self,
        forget_session: Callable[[UUID], None],
        forget_user: Callable[[UUID], None],
        forget_all: Callable[[], None],
    ) -> None:
        while not self._closing:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                forget_all()  # whatever was revoked before we listened is forgotten too
                while not self._closing:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None and message.get("type") == "message":
                        _apply(message["data"], forget_session, forget_user)
            except (RedisError, OSError, RuntimeError):
                log.warning("session revocations unreachable: retrying in a second")
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]


def _apply(
    data: bytes | str,
    forget_session: Callable[[UUID], None],
    forget_user: Callable[[UUID], None],
) -> None:
    text = data.decode() if isinstance(data, bytes) else data
    kind, _, value = text.partition(":")
    try:
        target = UUID(hex=value)
    except ValueError:
        log.warning("a malformed session revocation was ignored")
        return
    if kind == "s":
        forget_session(target)
    elif kind == "u":
        forget_user(target)
