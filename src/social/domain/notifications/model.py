"""Notifications and the events of the real-time stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["Notification", "NotificationKind", "StreamEvent"]


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


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """What the stream pushes to a signed-in user's open sockets: ``{"event", "data"}``."""

    event: str
    data: dict[str, Any] = field(default_factory=dict)
