"""Mastodon.py's WebSocket streaming against ``/api/v1/streaming``: its own connection code
(``stream_open_websocket``, then ``stream_user`` on that handle), its own event parsing, on a
real server: a follower's listener is handed the followed account's new post as an ``update``."""

from __future__ import annotations

import queue

from mastodon import Mastodon, StreamListener
from mastodon.return_types import Notification, Status

from tests.api.mastodon.live import (
    Live,
    live_server,  # noqa: F401  (the fixture "live")
    photo,
    signed_in,
)
from tests.integration.conftest import production  # noqa: F401  (a fixture)


class Collected(StreamListener):
    """What arrives, in order; an abort is kept too, to fail with its reason."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, object]] = queue.Queue()

    def on_update(self, status: Status) -> None:
        self.events.put(("update", status))

    def on_notification(self, notification: Notification) -> None:
        self.events.put(("notification", notification))

    def on_abort(self, err: Exception) -> None:
        self.events.put(("abort", err))


def next_update(listener: Collected, seconds: float = 15) -> Status:
    while True:
        kind, payload = listener.events.get(timeout=seconds)
        assert kind != "abort", payload
        if kind == "update":
            assert isinstance(payload, dict)
            return payload  # type: ignore[return-value]


async def test_a_follower_is_streamed_the_new_post(live: Live) -> None:
    live.register("alice")
    live.register("bob")
    a, b = signed_in(live, "alice"), signed_in(live, "bob")
    me = a.account_verify_credentials()
    assert b.account_follow(me).following is True
    listener = Collected()
    handle = b.stream_open_websocket(listener)  # type: ignore[no-untyped-call]
    try:
        b.stream_user(listener, websocket_handle=handle)
        posted = _post(a)
        update = next_update(listener)
        assert (update.id, update.account.id) == (posted.id, me.id)
        assert handle.is_alive()
    finally:
        handle.close()


def _post(client: Mastodon) -> Status:
    media = client.media_post(photo(), mime_type="image/jpeg", synchronous=True)
    status: Status = client.status_post("streamed #live", media_ids=[media])
    return status
