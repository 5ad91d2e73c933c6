"""Notifications, the groups they are shown in (NOTIF-4) and the events of the real-time
stream."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from social.domain.shared.errors import Invalid
from social.domain.shared.notification_kinds import NotificationKind

__all__ = [
    "GROUPED_BY_POST",
    "Notification",
    "NotificationGroup",
    "NotificationKind",
    "StreamEvent",
    "group_key",
    "parse_group_key",
]

GROUPED_BY_POST = frozenset({NotificationKind.LIKE, NotificationKind.SHARE})
"""Kinds whose notifications about one post make one group."""

_GROUP_KEY = re.compile(
    r"(?P<kind>[a-z_]{1,16}):(?P<subject>[0-9A-Fa-f-]{32,36}|\d{4}-\d{2}-\d{2})", re.ASCII
)
_KINDS = frozenset(k.value for k in NotificationKind)


def group_key(
    kind: NotificationKind, notification_id: UUID, created_at: datetime, post_id: UUID | None
) -> str:
    """The group a notification is shown in (NOTIF-4), ``<kind>:<subject>``: likes of one post
    are one group (``like:<post id>``), shares of one post one (``share:<post id>``), follows
    of one UTC day one (``follow:YYYY-MM-DD``: the "object" of a follow is the account itself,
    so a day bounds the group); any other kind (comment, reply, mention, follow request) is a
    group of its own (``comment:<notification id>``). Migration 0020 fills existing rows with
    the same rule in SQL."""
    if kind in GROUPED_BY_POST and post_id is not None:
        return f"{kind.value}:{post_id}"
    if kind is NotificationKind.FOLLOW:
        return f"{kind.value}:{created_at.astimezone(UTC).date().isoformat()}"
    return f"{kind.value}:{notification_id}"


def parse_group_key(text: str) -> str:
    """A group key as a client sent it back (``group_id``), in its canonical form (lower-case
    ids); one that cannot name a group is ``Invalid``."""
    found = _GROUP_KEY.fullmatch(text)
    canonical = None if found is None else _canonical(found["kind"], found["subject"])
    if canonical is None:
        raise Invalid.field("group_id", "is not a notification group")
    return canonical


def _canonical(kind: str, subject: str) -> str | None:
    if kind not in _KINDS:
        return None
    try:
        if kind == NotificationKind.FOLLOW.value and len(subject) == 10:
            return f"{kind}:{date.fromisoformat(subject).isoformat()}"
        return f"{kind}:{UUID(subject)}"
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Notification:
    """``actor_id`` did ``kind`` to ``recipient_id`` (about ``post_id`` / ``comment_id``).

    The same actor doing the same thing to the same target again is the same notification
    (liking twice, unliking and liking again): one row, never a pile."""

    id: UUID
    recipient_id: UUID
    kind: NotificationKind
    actor_id: UUID
    created_at: datetime
    post_id: UUID | None = None
    comment_id: UUID | None = None
    read: bool = False

    @property
    def group_key(self) -> str:
        return group_key(self.kind, self.id, self.created_at, self.post_id)


@dataclass(frozen=True, slots=True)
class NotificationGroup:
    """One group of a recipient's notifications as the store reads it, from the rows that are
    there now (a withdrawn like is simply gone from it). Its place in the list is that of its
    newest notification (``latest_at``, ``latest_id``)."""

    key: str
    kind: NotificationKind
    post_id: UUID | None
    count: int
    """Its notifications: one per actor (the same action twice is one notification)."""
    actor_ids: tuple[UUID, ...]
    """The newest actors first, as many as were asked for."""
    latest_at: datetime
    latest_id: UUID
    read: bool
    """Every notification of it is read."""


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """What the stream pushes to a signed-in user's open sockets: ``{"event", "data"}``."""

    event: str
    data: dict[str, Any] = field(default_factory=dict)
