"""Which registered client a request's API key belongs to."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from social.domain.activity.model import ApiClient, hash_api_key, looks_like_api_key
from social.domain.activity.ports import ActivityUnitOfWorkFactory
from social.domain.shared.caching import ExpiringCache
from social.domain.shared.clock import Clock
from social.domain.shared.errors import AuthenticationFailed

__all__ = ["UNKNOWN_KEY", "IdentifyClient"]

UNKNOWN_KEY = "unknown API client key"


class IdentifyClient:
    """Rules: a key identifies its client while the client is not revoked; an unknown or
    revoked key is refused, and one not shaped like our keys without a lookup. Answers
    (refusals too) are cached by key hash for ``ttl``, so a client's requests cost no query;
    the key itself is never kept, only its hash."""

    def __init__(
        self,
        *,
        uow: ActivityUnitOfWorkFactory,
        clock: Clock,
        ttl: timedelta,
        max_entries: int = 10_000,
    ) -> None:
        self._uow = uow
        self._cache: ExpiringCache[bytes, ApiClient | None] = ExpiringCache(
            clock, ttl, max_entries=max_entries
        )

    async def execute(self, api_key: str) -> ApiClient:
        if not looks_like_api_key(api_key):
            raise AuthenticationFailed(UNKNOWN_KEY)
        key_hash = hash_api_key(api_key)
        cached, client = self._cache.get(key_hash)
        if not cached:
            async with self._uow() as uow:
                found = await uow.api_clients.by_key_hash(key_hash)
            client = found if found is not None and found.active else None
            self._cache.put(key_hash, client)
        if client is None:
            raise AuthenticationFailed(UNKNOWN_KEY)
        return client

    def forget(self, client_id: UUID) -> None:
        """Drop what this process remembers of a client (after revoking it)."""
        self._cache.forget(lambda _, client: client is not None and client.id == client_id)
