"""API clients and the activity log: buffering, retention and the caches in front of them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ActivitySettings"]


@dataclass(frozen=True, slots=True)
class ActivitySettings:
    """How the activity log is written and kept, and how long client lookups are trusted."""

    activity_buffer_size: int = 50_000
    """Activity entries held in memory awaiting their write; when full the oldest are dropped."""
    activity_batch_size: int = 500
    """Entries per write; a full batch is written at once, without waiting for the interval."""
    activity_flush_interval_s: float = 1.0
    """How often the activity buffer is written: about what a crash can lose of the log."""
    activity_retention_days: int = 30
    """Activity entries older than this are deleted by a daily job."""
    client_key_cache_ttl_s: float = 5.0
    """How long a process trusts its lookup of an ``X-Client-Key`` (a revocation elsewhere
    takes effect within this)."""
    usage_cache_ttl_s: float = 30.0
    """How long the admin usage figures are cached in each process."""
