"""argon2id password hashing (AUTH-2), run in worker threads so the event loop never waits."""

from __future__ import annotations

import asyncio
import functools
import secrets
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["Argon2PasswordHasher"]

T = TypeVar("T")


class Argon2PasswordHasher:
    """argon2-cffi releases the GIL while hashing, so a small thread pool gives real parallelism
    and caps how much CPU a burst of logins can take from other requests."""

    def __init__(
        self, *, time_cost: int, memory_kib: int, parallelism: int, max_threads: int
    ) -> None:
        if memory_kib < 19_456 or time_cost < 2:
            raise ValueError("argon2id below the OWASP minimum (m ≥ 19 MiB, t ≥ 2)")
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self._pool = ThreadPoolExecutor(max_workers=max_threads, thread_name_prefix="argon2")
        # Made up front: a lazily made one would make the first unknown-account login slower.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        return await self._run(functools.partial(self._hasher.hash, password))

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._run(functools.partial(self._verify, password_hash, password))

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    async def verify_dummy(self, password: str) -> None:
        await self.verify(self._dummy_hash, password)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def _run(self, call: functools.partial[T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)
