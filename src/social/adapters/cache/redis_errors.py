"""Redis failures in the domain's words: each Redis adapter raises ``Unavailable`` (keeping the
driver's error as ``__cause__``) when Redis is down, slow or refusing, so no caller above the
adapters (a use case, the HTTP edge) needs to know redis-py's exceptions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from social.domain.shared.errors import Unavailable

__all__ = ["REDIS_FAILURES", "is_outage", "translated"]

REDIS_FAILURES = (RedisError, OSError)
"""What talking to Redis may raise: redis-py's own errors derive from ``RedisError``; the
builtin ``ConnectionError`` and ``TimeoutError`` a socket raises are ``OSError``s."""


@contextmanager
def translated(message: str, *, dependency: str) -> Iterator[None]:
    """Runs a Redis call; any failure to talk to Redis becomes ``Unavailable``."""
    try:
        yield
    except REDIS_FAILURES as exc:
        raise Unavailable(message, dependency=dependency) from exc


def is_outage(exc: BaseException) -> bool:
    """Whether an error raised past the Redis adapters (a library's own Redis client) means
    Redis is unreachable or too slow (503) rather than a bug (500); the composition root hands
    it to the HTTP edge."""
    return isinstance(exc, RedisConnectionError | RedisTimeoutError)
