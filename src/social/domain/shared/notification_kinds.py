"""What a notification is about: below every context, since contexts under notifications
(graph, posts, interactions) queue the jobs that carry it."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["NotificationKind"]


class NotificationKind(StrEnum):
    LIKE = "like"
    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    SHARE = "share"
