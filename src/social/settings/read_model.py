"""The read model's caches of presented posts and accounts, and the media URLs they carry."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReadModelSettings"]


@dataclass(frozen=True, slots=True)
class ReadModelSettings:
    """How long presentations are cached, where, and how long their signed URLs live."""

    presented_ttl_s: float = 600.0
    """How long a presented post or account is cached. Media URLs in it are signed for
    ``media_url_ttl_s``, so each URL handed out lives at least the difference."""
    presented_cache_entries: int = 20_000
    """Presentations a process keeps in its memory (about 3 KB each), alone or in front of
    Redis."""
    presented_local_ttl_s: float = 60.0
    """With Redis: how long a process keeps its own copy of a presentation read from Redis."""
    media_url_ttl_s: int = 3600
    """Lifetime of signed media URLs."""
