"""What the app API's stream says: the native stream's events (``feed_item``, ``notification``,
``feed_item_removed``) turned into Mastodon's (``update``, ``notification``, ``delete``), each
read again as its recipient may see it now through the domain's use cases (the home feed's rules
for an update, the notification list's for a notification): nothing reaches a socket that the
timeline or the list would hide. A ``delete`` carries only the id of what went.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from uuid import UUID

from social.adapters.mastodon.entities import notification_json
from social.adapters.mastodon.entities.render import Entities
from social.adapters.mastodon.statuses_read_controllers import status_json
from social.adapters.mastodon.timelines_controllers import feed_item_json
from social.domain.accounts.app_scopes import AppCaller, covers
from social.domain.feed.home_feed import HomeFeed
from social.domain.interactions.read_status import CommentStatus
from social.domain.notifications.model import StreamEvent
from social.domain.notifications.pushed import PushedNotification, ShowPushedNotification
from social.domain.profiles.mentioned import FindMentioned
from social.domain.reads.model import PostCard
from social.domain.shared.identity import Viewer
from social.use_cases import UseCases

__all__ = ["STREAMS", "StreamMessages", "error_message", "event_message"]

STREAMS = {
    "user": "read:statuses",
    "user:notification": "read:notifications",
}
"""The streams served, and the scope each needs (``user`` carries notifications too when the
token also holds ``read:notifications``)."""


def event_message(stream: str, event: str, payload: str) -> str:
    """One server event: ``payload`` is itself JSON text (a status id for ``delete``)."""
    return json.dumps({"stream": [stream], "event": event, "payload": payload})


def error_message(message: str, status: int) -> str:
    """An error about a client's message, as Mastodon's streaming server words them."""
    return json.dumps({"error": message, "status": status})


@dataclass(frozen=True, slots=True)
class StreamMessages:
    """The messages one socket is sent for one native event, given what it subscribed to."""

    caller: AppCaller
    viewer: Viewer
    entities: Entities
    use_cases: UseCases

    def wanted(self, event: StreamEvent, streams: set[str]) -> list[str]:
        """The subscribed streams that carry ``event``, in a stable order."""
        if event.event in ("feed_item", "feed_item_removed"):
            return ["user"] if "user" in streams else []
        if event.event != "notification":
            return []
        if not covers(self.caller.scopes, "read:notifications"):
            return []  # ``user:notification`` needed it to be subscribed; ``user`` goes without
        return [s for s in ("user", "user:notification") if s in streams]

    async def messages(self, event: StreamEvent, streams: set[str]) -> list[str]:
        targets = self.wanted(event, streams)
        if not targets:
            return []
        if event.event == "feed_item_removed":  # an id: nothing to hide, nothing to read
            payload, name = str(event.data.get("id", "")) or None, "delete"
        elif event.event == "feed_item":
            payload = await self._update(event)
            name = "update"
        else:
            payload = await self._notification(event)
            name = "notification"
        if payload is None:
            return []
        return [event_message(stream, name, payload) for stream in targets]

    async def _update(self, event: StreamEvent) -> str | None:
        view = await self.use_cases.get(HomeFeed).pushed(self.viewer, event)
        if view is None:
            return None
        await self.entities.resolve_mentions(self._find_mentioned, [view.post])
        return feed_item_json(self.entities, view).decode()

    async def _notification(self, event: StreamEvent) -> str | None:
        shown = await self.use_cases.get(ShowPushedNotification).execute(self.viewer, event)
        if shown is None:
            return None
        status = await self._status(shown)
        account = self.entities.account(shown.view.actor)
        return notification_json(shown.view.notification, account, status).decode()

    async def _status(self, shown: PushedNotification) -> bytes | None:
        found = shown.status
        if found is None:
            return None
        posts = [found if isinstance(found, PostCard) else found.post]
        texts = [found.comment.text] if isinstance(found, CommentStatus) else []
        await self.entities.resolve_mentions(self._find_mentioned, posts, texts)
        return status_json(self.entities, found)

    @property
    def _find_mentioned(self) -> Callable[[Collection[str]], Awaitable[Mapping[str, UUID]]]:
        return self.use_cases.get(FindMentioned).execute
