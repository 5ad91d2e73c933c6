"""Background jobs as typed messages: what a use case asks to happen once its change committed.

A job is a frozen dataclass of typed fields (UUIDs, enums, tuples) that names itself in the
queue with ``job_name``. That name and the fields are the wire format the outbox and the
queue store (the jobs adapter encodes the fields as JSON primitives, UUIDs as strings), so
neither may change while jobs written under the old form may still wait to run.

A job belongs to the context that handles it, but is often enqueued by a context below that
one (posts and interactions queue the feed's fan-out, graph the notifications, accounts the
purge of the lifecycle context). The layers forbid those contexts to import the handler's, so
such messages live here, the one place every context may import; a context's own jobs live in
its ``jobs`` module (``domain/media/jobs.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from social.domain.shared.notification_kinds import NotificationKind

__all__ = [
    "DropActorFromFeed",
    "FanOutPost",
    "FanOutShare",
    "Job",
    "PurgeDeletedAccount",
    "RefreshAccountSuggestions",
    "RefreshHomeFeed",
    "RetractFeedEntry",
    "SendNotification",
    "WithdrawNotification",
]


@dataclass(frozen=True, slots=True)
class Job:
    """The base of every job message; subclasses set ``job_name`` and declare their fields."""

    job_name: ClassVar[str]
    """The job's name in the queue and the outbox: stable across releases."""


# Handled by the feed context.


@dataclass(frozen=True, slots=True)
class FanOutPost(Job):
    """Push a new post into its author's and the followers' stored feeds."""

    job_name: ClassVar[str] = "fan_out_post"
    post_id: UUID


@dataclass(frozen=True, slots=True)
class FanOutShare(Job):
    """Push a new share into its sharer's and the followers' stored feeds."""

    job_name: ClassVar[str] = "fan_out_share"
    share_id: UUID


@dataclass(frozen=True, slots=True)
class RetractFeedEntry(Job):
    """Take a deleted post or an undone share (``entry_id``) out of the stored feeds of
    ``actor_id`` and its followers."""

    job_name: ClassVar[str] = "retract_feed_entry"
    entry_id: UUID
    actor_id: UUID


@dataclass(frozen=True, slots=True)
class RefreshHomeFeed(Job):
    """Rebuild ``owner_id``'s stored feed at its next read (after a follow)."""

    job_name: ClassVar[str] = "refresh_feed"
    owner_id: UUID


@dataclass(frozen=True, slots=True)
class DropActorFromFeed(Job):
    """Remove what ``actor_id`` put into ``owner_id``'s stored feed (an unfollow, a block)."""

    job_name: ClassVar[str] = "drop_from_feed"
    owner_id: UUID
    actor_id: UUID


# Handled by the notifications context.


@dataclass(frozen=True, slots=True)
class SendNotification(Job):
    """``actor_id`` did ``kind``: notify the people it concerns. ``kind`` is a like, share,
    comment (a reply when the comment has a parent), mention (a new post naming people), follow
    or follow request; ``user_id`` is whom a follow or a follow request is for."""

    job_name: ClassVar[str] = "notify"
    kind: NotificationKind
    actor_id: UUID
    post_id: UUID | None = None
    comment_id: UUID | None = None
    user_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class WithdrawNotification(Job):
    """``actor_id`` undid ``kind``: take back the notification it caused (same fields as
    ``SendNotification``)."""

    job_name: ClassVar[str] = "withdraw_notifications"
    kind: NotificationKind
    actor_id: UUID
    post_id: UUID | None = None
    comment_id: UUID | None = None
    user_id: UUID | None = None


# Handled by the discovery context.


@dataclass(frozen=True, slots=True)
class RefreshAccountSuggestions(Job):
    """Compute ``user_id``'s suggested accounts again (queued by follow changes), at most once
    per debounce interval: a refresh that comes too soon after the last computation is put off
    until the interval has passed (``DebounceSuggestionRefresh``)."""

    job_name: ClassVar[str] = "refresh_account_suggestions"
    user_id: UUID
    since: datetime | None = None
    """Set on a refresh put off by the debounce: the computation it waits out. Unless another
    one was made since, it computes when it runs (even a little early by the clock here)."""


# Handled by the lifecycle context.


@dataclass(frozen=True, slots=True)
class PurgeDeletedAccount(Job):
    """Erase what a deleted account left behind (queued by its deletion)."""

    job_name: ClassVar[str] = "purge_account"
    user_id: UUID
