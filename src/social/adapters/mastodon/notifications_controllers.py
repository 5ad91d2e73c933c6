"""``/api/v1/notifications`` for app tokens (mounted under ``COLLIDING_PREFIX``: the native API
has the same path): Mastodon's Notification shape, ``types[]``/``exclude_types[]`` filters,
``max_id``/``since_id``/``min_id`` paging with a ``Link`` header, one by id, dismiss, clear."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.enums import MediaType
from litestar.params import FromPath

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.entities import (
    NOTIFICATION_TYPES,
    Entities,
    array,
    entities_for,
    notification_json,
)
from social.adapters.mastodon.params import Params, read_params
from social.adapters.mastodon.path_ids import parse_id, path_id
from social.adapters.mastodon.routes import COLLIDING_PREFIX
from social.domain.notifications.browse_notifications import (
    BrowseNotifications,
    ClearNotifications,
    DismissNotification,
    GetNotification,
    NotificationBatch,
    NotificationItem,
    NotificationWindow,
)
from social.domain.notifications.read_notifications import UnreadCount
from social.domain.profiles.mentioned import FindMentioned
from social.domain.shared.notification_kinds import NotificationKind

__all__ = ["NotificationController", "notification_kinds"]

PATH = "/api/v1/notifications"
_KINDS_OF_TYPE: dict[str, frozenset[NotificationKind]] = {}
for _kind, _type in NOTIFICATION_TYPES.items():
    _KINDS_OF_TYPE[_type] = _KINDS_OF_TYPE.get(_type, frozenset()) | {_kind}


def notification_kinds(types: list[str], exclude: list[str]) -> frozenset[NotificationKind]:
    """Our kinds for Mastodon's ``types[]`` less its ``exclude_types[]`` (empty: all kinds).
    Types we never send (``status``, ``poll``, ``update``, …) select nothing."""
    wanted = (
        frozenset().union(*(_KINDS_OF_TYPE.get(t, frozenset()) for t in types))
        if types
        else frozenset(NotificationKind)
    )
    dropped = frozenset().union(*(_KINDS_OF_TYPE.get(t, frozenset()) for t in exclude))
    return frozenset(wanted - dropped)


def _item_json(entities: Entities, item: NotificationItem) -> bytes:
    status = None
    if item.comment is not None:
        subject = item.comment
        status = entities.comment(
            subject.comment,
            subject.author,
            in_reply_to_account_id=subject.answers_account_id,
            private=subject.post.author.state.is_private,
        )
    elif item.post is not None:
        status = entities.status(item.post)
    return notification_json(item.notification, entities.account(item.actor), status)


async def _items_json(
    entities: Entities, find_mentioned: FindMentioned, items: Sequence[NotificationItem]
) -> list[bytes]:
    """The notifications, their statuses' mentions resolved first (one lookup at most)."""
    posts = [item.post for item in items if item.post is not None]
    posts += [item.comment.post for item in items if item.comment is not None]
    texts = [item.comment.comment.text for item in items if item.comment is not None]
    await entities.resolve_mentions(find_mentioned.execute, posts, texts)
    return [_item_json(entities, item) for item in items]


def _window(params: Params) -> NotificationWindow | None:
    """``None`` when the filters leave no kind (the answer is empty)."""
    kinds = notification_kinds(
        params.texts("types", max_items=20), params.texts("exclude_types", max_items=20)
    )
    if not kinds:
        return None
    limit = params.number("limit", 40, low=1, high=80)
    max_id, since_id, min_id = (_edge(params, name) for name in ("max_id", "since_id", "min_id"))
    return NotificationWindow(
        limit=limit,
        older_than=max_id,
        newer_than=min_id or since_id,
        adjacent=min_id is not None,
        kinds=kinds if kinds != frozenset(NotificationKind) else frozenset(),
    )


def _edge(params: Params, name: str) -> UUID | None:
    text = params.text(name, max_length=100)
    return parse_id(text) if text else None


def _link(request: Request[Any, Any, Any], batch: NotificationBatch) -> dict[str, str]:
    """Absolute URLs at the public path, the client's filters kept; ``next`` while older ones
    may follow, ``prev`` whenever the page is not empty."""
    if batch.newest is None or batch.oldest is None:
        return {}
    base = entities_for(request).urls.base + request.url.path.removeprefix(COLLIDING_PREFIX)
    kept = [
        (key, value)
        for key, value in request.query_params.multi_items()
        if key not in ("max_id", "min_id", "since_id")
    ]
    links = []
    if batch.more:
        links.append(f'<{base}?{urlencode([*kept, ("max_id", str(batch.oldest))])}>; rel="next"')
    links.append(f'<{base}?{urlencode([*kept, ("min_id", str(batch.newest))])}>; rel="prev"')
    return {"Link": ", ".join(links)}


def _json(body: bytes, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON, headers=headers)


class NotificationController(Controller):
    path = COLLIDING_PREFIX + PATH

    @get(
        "/",
        operation_id="mastodonNotifications",
        summary="Your notifications, newest first (read:notifications)",
        description="Types: `mention` (a comment on your post, a reply to your comment or an "
        "@mention), `favourite`, `reblog`, `follow`, `follow_request`. Filters `types[]`, "
        "`exclude_types[]`; `limit` 40 (≤ 80); `max_id`, `since_id`, `min_id`; `Link` header. "
        "Reached at /api/v1/notifications with an app token.",
    )
    async def notifications(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        browse_notifications: Injected[BrowseNotifications],
        find_mentioned: Injected[FindMentioned],
    ) -> Response[Any]:
        viewer = caller.require("read:notifications")
        window = _window(await read_params(request, body=False))
        if window is None:
            return _json(b"[]")
        batch = await browse_notifications.execute(viewer, window)
        found = await _items_json(entities_for(request), find_mentioned, batch.items)
        return _json(array(found), _link(request, batch))

    @get(
        "/unread_count",
        operation_id="mastodonNotificationsUnreadCount",
        summary="How many notifications are unread (read:notifications)",
    )
    async def unread_count(
        self, caller: Caller, unread_count: Injected[UnreadCount]
    ) -> dict[str, int]:
        viewer = caller.require("read:notifications")
        return {"count": await unread_count.execute(viewer)}

    @post(
        "/clear",
        operation_id="mastodonClearNotifications",
        status_code=200,
        summary="Delete all your notifications (write:notifications)",
    )
    async def clear(
        self, caller: Caller, clear_notifications: Injected[ClearNotifications]
    ) -> dict[str, Any]:
        await clear_notifications.execute(caller.require("write:notifications"))
        return {}

    @get(
        "/{notification:str}",
        operation_id="mastodonGetNotification",
        summary="One of your notifications (read:notifications)",
    )
    async def notification(
        self,
        request: Request[Any, Any, Any],
        notification: FromPath[str],
        caller: Caller,
        get_notification: Injected[GetNotification],
        find_mentioned: Injected[FindMentioned],
    ) -> Response[Any]:
        viewer = caller.require("read:notifications")
        item = await get_notification.execute(viewer, path_id(notification))
        (found,) = await _items_json(entities_for(request), find_mentioned, [item])
        return _json(found)

    @post(
        "/{notification:str}/dismiss",
        operation_id="mastodonDismissNotification",
        status_code=200,
        summary="Delete one of your notifications (write:notifications)",
    )
    async def dismiss(
        self,
        notification: FromPath[str],
        caller: Caller,
        dismiss_notification: Injected[DismissNotification],
    ) -> dict[str, Any]:
        viewer = caller.require("write:notifications")
        await dismiss_notification.execute(viewer, path_id(notification))
        return {}
