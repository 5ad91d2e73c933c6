"""A small in-process cache with a time to live, on the ``Clock`` so tests can move time."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from social.domain.shared.clock import Clock

__all__ = ["ExpiringCache"]

K = TypeVar("K")
V = TypeVar("V")


class ExpiringCache(Generic[K, V]):
    """Remembers values for ``ttl``; bounded, least recently used entries go first. Per
    process: another process sees a change once its own copy expires."""

    __slots__ = ("_clock", "_entries", "_max", "_ttl")

    def __init__(self, clock: Clock, ttl: timedelta, *, max_entries: int = 10_000) -> None:
        self._clock = clock
        self._ttl = ttl
        self._max = max_entries
        self._entries: OrderedDict[K, tuple[datetime, V]] = OrderedDict()

    def get(self, key: K) -> tuple[bool, V | None]:
        """``(True, value)`` while fresh, ``(False, None)`` otherwise."""
        found = self._entries.get(key)
        if found is None:
            return False, None
        if found[0] <= self._clock.now():
            del self._entries[key]
            return False, None
        self._entries.move_to_end(key)
        return True, found[1]

    def put(self, key: K, value: V) -> None:
        if self._ttl <= timedelta(0):
            return
        self._entries[key] = (self._clock.now() + self._ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def discard(self, key: K) -> None:
        self._entries.pop(key, None)

    def forget(self, matches: Callable[[K, V], bool]) -> None:
        for key in [k for k, (_, v) in self._entries.items() if matches(k, v)]:
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()
