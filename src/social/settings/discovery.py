"""Discovery (DISC-1, DISC-2): how suggestions are computed and kept."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DiscoverySettings"]


@dataclass(frozen=True, slots=True)
class DiscoverySettings:
    """Suggested accounts are computed by jobs into a per-user store; suggested posts are ranked
    from recent public posts at read time."""

    suggestions_refresh_s: int = 21_600
    """A user's stored account suggestions older than this are computed again by the periodic
    job (follow changes refresh them too, debounced)."""
    suggestions_debounce_s: int = 60
    """A user's account suggestions are computed at most once this often for the refreshes that
    follow, unfollow, block and mute queue: one that comes sooner is put off to the end of the
    interval (a burst of follows: one computation at once, one when it ends); 0: every time."""
    suggestions_kept: int = 50
    """Account suggestions stored per user."""
    suggested_posts_window_days: int = 7
    """Suggested posts are chosen among public posts this recent."""
