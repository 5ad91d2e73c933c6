"""/notifications: the list, the unread count, marking read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from social.adapters.http.cards import json_response, json_value, page_json, raw_account
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging
from social.adapters.http.request_body import RequestBody
from social.adapters.http.users.schemas import UserOut
from social.domain.notifications.grouped_notifications import MarkGroupRead
from social.domain.notifications.read_notifications import (
    ListNotifications,
    MarkNotificationsRead,
    NotificationView,
    UnreadCount,
)
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer

__all__ = ["NotificationController"]

Me = NamedDependency[Viewer]
Kind = Literal["like", "comment", "reply", "mention", "follow", "follow_request", "share"]


class NotificationOut(msgspec.Struct, kw_only=True):
    id: UUID
    kind: Kind
    actor: UserOut
    post_id: UUID | None
    comment_id: UUID | None
    read: bool
    created_at: datetime


class NotificationPageOut(msgspec.Struct, kw_only=True):
    items: list[NotificationOut]
    next_cursor: str | None


class UnreadOut(msgspec.Struct, kw_only=True):
    count: int


class MarkReadIn(RequestBody, kw_only=True):
    up_to_id: UUID | None = None
    """Mark read this notification and every older one; all of them when left out."""
    group_id: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    """Mark read every notification of this group (an ``id`` of ``/notifications/grouped``)
    instead; not with ``up_to_id``."""


def _json(view: NotificationView) -> bytes:
    """A ``Notification`` object (``NotificationOut``'s fields)."""
    n = view.notification
    return json_value(
        {
            "id": n.id,
            "kind": n.kind.value,
            "actor": raw_account(view.actor),
            "post_id": n.post_id,
            "comment_id": n.comment_id,
            "read": n.read,
            "created_at": n.created_at,
        }
    )


class NotificationController(Controller):
    path = "/notifications"
    tags = ["notifications"]
    security = BEARER_SECURITY

    @get(
        "/",
        operation_id="listNotifications",
        summary="Your notifications, newest first",
        description="Likes, comments, replies, mentions, follows, follow requests and shares "
        "of yours; one per action (liking twice, or unliking and liking again, is one).",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def list_notifications(
        self,
        list_notifications: Injected[ListNotifications],
        viewer: Me,
        page: Paging,
    ) -> Response[NotificationPageOut]:
        found = await list_notifications.execute(viewer, page.by_time)
        return json_response(page_json(map(_json, found.items), found.next_cursor))

    @get(
        "/unread-count",
        operation_id="unreadNotifications",
        summary="How many of your notifications are unread",
        responses=problems(401),
    )
    async def unread(self, unread_count: Injected[UnreadCount], viewer: Me) -> UnreadOut:
        return UnreadOut(count=await unread_count.execute(viewer))

    @post(
        "/read",
        operation_id="markNotificationsRead",
        status_code=204,
        summary="Mark notifications read: all, up to one, or one group",
        responses=problems(401, 422),
    )
    async def mark_read(
        self,
        mark_notifications_read: Injected[MarkNotificationsRead],
        mark_group_read: Injected[MarkGroupRead],
        viewer: Me,
        data: JSONBody[MarkReadIn | None] = None,
    ) -> None:
        up_to = data.up_to_id if data is not None else None
        if data is not None and data.group_id is not None:
            if up_to is not None:
                raise Invalid.field("group_id", "give either up_to_id or group_id, not both")
            await mark_group_read.execute(viewer, data.group_id)
            return
        await mark_notifications_read.execute(viewer, up_to)
