"""Home feeds: how long a precomputed feed is, how long it lives, and how posts fan out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.domain.feed.model import FeedLimits

__all__ = ["FeedSettings"]


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """Precomputed home feeds and the large accounts merged into them at read time."""

    feed_max_length: int = 800
    """Entries kept per precomputed feed (older pages are read from the database)."""
    feed_ttl_s: int = 7 * 24 * 3600
    """A stored feed nobody read this long is dropped (rebuilt at its next read)."""
    fan_out_threshold: int = 10_000
    """Authors with more followers are merged into feeds at read time instead of fanned out."""
    fan_out_batch: int = 1000
    """Followers' feeds written per round trip by the fan-out job."""
    feed_large_followees_ttl_s: float = 60.0
    """How long a process remembers which large accounts a viewer follows (a large account
    followed just now joins the feed within this; an unfollow applies at once)."""
    feed_large_entries_ttl_s: float = 1.0
    """How long a process reuses the newest entries of large accounts for first pages (their
    new posts show within this; a deleted one disappears at once)."""

    def limits(self) -> FeedLimits:
        """The feed context's limits as configured."""
        return FeedLimits(
            max_length=self.feed_max_length,
            fan_out_threshold=self.fan_out_threshold,
            fan_out_batch=self.fan_out_batch,
            large_followees_ttl=timedelta(seconds=self.feed_large_followees_ttl_s),
            large_entries_ttl=timedelta(seconds=self.feed_large_entries_ttl_s),
        )
