"""/notifications/grouped: notifications in groups (NOTIF-4). Marking a group read is the
``group_id`` of ``POST /notifications/read`` (controllers.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency

from social.adapters.http.cards import json_response, json_value, page_json, raw_account
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.notifications.controllers import Kind
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging
from social.adapters.http.users.schemas import UserOut
from social.domain.notifications.grouped_notifications import GroupView, ListNotificationGroups
from social.domain.shared.identity import Viewer

__all__ = ["GROUP_ID", "GroupedNotificationController"]

Me = NamedDependency[Viewer]

GROUP_ID = Annotated[
    str,
    msgspec.Meta(
        max_length=64,
        description="A group's `id` from `GET /notifications/grouped`: `like:<post id>`, "
        "`share:<post id>`, `follow:<YYYY-MM-DD>` (a UTC day), else `<kind>:<notification id>`.",
    ),
]


class NotificationGroupOut(msgspec.Struct, kw_only=True):
    id: GROUP_ID
    kind: Kind
    post_id: UUID | None
    actors: list[UserOut]
    """The newest actors you may see, newest first (at most three)."""
    actors_count: int
    latest_at: datetime
    read: bool


class NotificationGroupPageOut(msgspec.Struct, kw_only=True):
    items: list[NotificationGroupOut]
    next_cursor: str | None


def _json(view: GroupView) -> bytes:
    """A ``NotificationGroup`` object (``NotificationGroupOut``'s fields)."""
    group = view.group
    return json_value(
        {
            "id": group.key,
            "kind": group.kind.value,
            "post_id": group.post_id,
            "actors": [raw_account(actor) for actor in view.actors],
            "actors_count": view.actors_count,
            "latest_at": group.latest_at,
            "read": group.read,
        }
    )


class GroupedNotificationController(Controller):
    path = "/notifications"
    tags = ["notifications"]
    security = BEARER_SECURITY

    @get(
        "/grouped",
        operation_id="listNotificationGroups",
        summary="Your notifications in groups, newest group first",
        description="Likes of one post are one group, shares of one post one, follows of one "
        "UTC day one; any other notification is a group of its own. Each group has how many "
        "did it, the latest three of them and its newest time; it is read when all of it is. "
        "Mark one read with `POST /notifications/read {group_id}`.",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def list_groups(
        self,
        list_notification_groups: Injected[ListNotificationGroups],
        viewer: Me,
        page: Paging,
    ) -> Response[NotificationGroupPageOut]:
        found = await list_notification_groups.execute(viewer, page.by_time)
        return json_response(page_json(map(_json, found.items), found.next_cursor))
