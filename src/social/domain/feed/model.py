"""Feed entries and the rules of fan-out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from social.domain.shared.pagination import Cursor

__all__ = ["FeedEntry", "FeedItemKind", "FeedLimits", "FeedSlice", "newest_first"]


class FeedItemKind(StrEnum):
    POST = "post"
    SHARE = "share"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One line of a home feed: a post, or a share of a post, by ``actor_id``.

    ``id`` is the post's id for a post and the share's id for a share; feeds are ordered by
    ``(created_at, id)``, newest first, the same key the cursors carry.
    """

    id: UUID
    kind: FeedItemKind
    post_id: UUID
    actor_id: UUID
    """Who put it in the feed: the post's author, or the account that shared it."""
    post_author_id: UUID
    created_at: datetime

    @property
    def cursor(self) -> Cursor:
        return Cursor(at=self.created_at, id=self.id)

    def is_after(self, cursor: Cursor | None) -> bool:
        """Whether the entry comes strictly after ``cursor`` in newest-first order."""
        if cursor is None:
            return True
        return (self.created_at, self.id) < (cursor.at, cursor.id)


@dataclass(frozen=True, slots=True)
class FeedSlice:
    """Entries of a stored feed after a cursor, newest first.

    ``exhausted``: the stored feed has nothing older than the last entry given. Whether that is
    the true end of the feed depends on ``trimmed``: a feed that once outgrew its bound lost its
    oldest entries, and those must be read from the database."""

    entries: list[FeedEntry]
    exhausted: bool
    trimmed: bool


@dataclass(frozen=True, slots=True)
class FeedLimits:
    max_length: int = 800
    """Entries kept per precomputed feed; older pages come from the database."""
    fan_out_threshold: int = 10_000
    """Authors with more followers are not fanned out; their posts are merged at read time."""
    fan_out_batch: int = 1000
    """Followers written per round trip to the feed store."""
    large_followees_ttl: timedelta = timedelta(seconds=60)
    """How long a process remembers which large accounts a viewer follows."""
    large_entries_ttl: timedelta = timedelta(seconds=1)
    """How long a process reuses the newest entries of a set of large accounts."""
    large_entries_kept: int = 100
    """Entries of large accounts remembered per set (first pages only)."""


def newest_first(entries: list[FeedEntry]) -> list[FeedEntry]:
    return sorted(entries, key=lambda e: (e.created_at, e.id), reverse=True)
