"""The small entities: ``Relationship``, ``Tag``, ``Context``, ``Notification`` and JSON arrays,
written from values the handlers already hold."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

import msgspec

from social.adapters.mastodon.entities.times import rfc3339_json
from social.domain.graph.model import Relationship
from social.domain.notifications.model import Notification
from social.domain.shared.notification_kinds import NotificationKind

__all__ = [
    "NOTIFICATION_TYPES",
    "TagUse",
    "array",
    "context_json",
    "notification_json",
    "relationship_json",
    "tag_json",
]

_encode = msgspec.json.encode

NOTIFICATION_TYPES: dict[NotificationKind, str] = {
    NotificationKind.LIKE: "favourite",
    NotificationKind.FOLLOW: "follow",
    NotificationKind.FOLLOW_REQUEST: "follow_request",
    NotificationKind.SHARE: "reblog",
    # Mastodon has no "commented on your post": a reply there always mentions whom it answers,
    # so a comment on one's post, a reply to one's comment and a mention are all "mention".
    NotificationKind.COMMENT: "mention",
    NotificationKind.REPLY: "mention",
    NotificationKind.MENTION: "mention",
}


def array(items: Iterable[bytes]) -> bytes:
    return b"[%b]" % b",".join(items)


def relationship_json(
    account_id: UUID | str,
    relationship: Relationship | None,
    *,
    requested_by: bool = False,
    blocked_by: bool = False,
) -> bytes:
    """How the viewer stands towards ``account_id`` (all false without a relationship)."""
    rel = relationship or Relationship()
    return _encode(
        {
            "id": str(account_id),
            "following": rel.following,
            "showing_reblogs": rel.following,
            "notifying": False,
            "languages": None,
            "followed_by": rel.followed_by,
            "blocking": rel.blocking,
            "blocked_by": blocked_by,
            "muting": rel.muting,
            "muting_notifications": rel.muting,
            "requested": rel.requested,
            "requested_by": requested_by,
            "domain_blocking": False,
            "endorsed": False,
            "note": "",
        }
    )


class TagUse(msgspec.Struct, frozen=True):
    """One day of a tag's history: posts with it and accounts that used it."""

    day: datetime
    uses: int
    accounts: int


def tag_json(name: str, url: str, history: Sequence[TagUse] = (), following: bool = False) -> bytes:
    return _encode(
        {
            "name": name,
            "url": url,
            "history": [
                {
                    "day": str(int(use.day.timestamp())),
                    "uses": str(use.uses),
                    "accounts": str(use.accounts),
                }
                for use in history
            ],
            "following": following,
        }
    )


def context_json(ancestors: Iterable[bytes], descendants: Iterable[bytes]) -> bytes:
    return b'{"ancestors":%b,"descendants":%b}' % (array(ancestors), array(descendants))


def notification_json(notification: Notification, account: bytes, status: bytes | None) -> bytes:
    """``account`` is the actor's ``Account``; ``status`` the post's or comment's ``Status``
    (``None`` for follows and requests)."""
    kind = NOTIFICATION_TYPES[notification.kind]
    return (
        b'{"id":"%s","type":"%s","created_at":%b,"group_key":"ungrouped-%s","account":%b,"status":%b}'
        % (
            str(notification.id).encode(),
            kind.encode(),
            rfc3339_json(notification.created_at),
            str(notification.id).encode(),
            account,
            status if status is not None else b"null",
        )
    )
