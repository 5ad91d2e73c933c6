"""The WebSocket stream in the OpenAPI document: Litestar cannot describe a socket's messages,
so its operation (``GET`` with ``Upgrade: websocket``) carries them in ``x-websocket``, and the
server's and client's messages are tagged unions of their own schemas."""

from __future__ import annotations

from typing import Any

from social.adapters.http.openapi.exact_schemas import SCHEMAS

__all__ = ["stream_operation", "stream_schemas"]


def _event(name: str, data: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": ["event", "data"],
        "properties": {"event": {"const": name}, "data": data},
    }


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


_STR = {"type": "string"}
_NULLABLE_UUID = {"type": ["string", "null"], "format": "uuid"}
_UUID = {"type": "string", "format": "uuid"}
_TIME = {"type": "string", "format": "date-time"}
_EMPTY = {"type": "object", "maxProperties": 0}
_STREAM_SERVER = {
    "StreamReady": _event(
        "ready", _obj(["user_id"], user_id=_UUID), "Subscribed: events follow from now on."
    ),
    "StreamNotification": _event(
        "notification",
        _obj(
            ["id", "kind", "actor", "post_id", "comment_id", "read", "created_at"],
            id=_UUID,
            kind={
                "enum": ["like", "comment", "reply", "mention", "follow", "follow_request", "share"]
            },
            actor=_obj(
                ["id", "username", "display_name"], id=_UUID, username=_STR, display_name=_STR
            ),
            post_id=_NULLABLE_UUID,
            comment_id=_NULLABLE_UUID,
            read={"type": "boolean"},
            created_at=_TIME,
        ),
        "A compact Notification (GET /notifications has the full object).",
    ),
    "StreamFeedItem": _event(
        "feed_item",
        _obj(
            ["id", "kind", "post_id", "actor_id", "created_at"],
            id=_UUID,
            kind={"enum": ["post", "share"]},
            post_id=_UUID,
            actor_id=_UUID,
            created_at=_TIME,
        ),
        "Something new in the home feed; fetch the post or the feed to show it.",
    ),
    "StreamFeedItemRemoved": _event(
        "feed_item_removed",
        _obj(["id"], id=_UUID),
        "A post or share announced before left the home feed (deleted, unshared, removed): "
        "`id` is the `feed_item`'s.",
    ),
    "StreamHeartbeat": _event("heartbeat", _EMPTY, "Every heartbeat interval (25 s)."),
    "StreamPong": _event("pong", _EMPTY, "The answer to a `ping`."),
}
_STREAM_CLIENT = {
    "StreamAuth": _obj(["type", "access_token"], type={"const": "auth"}, access_token=_STR),
    "StreamPing": _obj(["type"], type={"const": "ping"}),
}


def _union(names: list[str], tag: str, values: list[str]) -> dict[str, Any]:
    return {
        "oneOf": [{"$ref": f"{SCHEMAS}{name}"} for name in names],
        "discriminator": {
            "propertyName": tag,
            "mapping": {
                value: f"{SCHEMAS}{name}" for value, name in zip(values, names, strict=True)
            },
        },
    }


def stream_operation() -> dict[str, Any]:
    return {
        "tags": ["notifications"],
        "operationId": "stream",
        "summary": "The real-time stream (WebSocket)",
        "description": "A WebSocket (RFC 6455): connect with `GET` and `Upgrade: websocket`. "
        "OpenAPI cannot describe the messages of a socket, so they are in `x-websocket`: the "
        "server sends `StreamServerMessage`s, the client may send `StreamClientMessage`s. "
        "Authenticate with `?access_token=` or, within 5 s, a first message "
        '`{"type": "auth", "access_token": "…"}`. Close codes: 4401 token invalid or expired '
        "or the session ended (checked at every heartbeat), 4408 no auth message in time, 4400 "
        "a first message that is not JSON, 4429 over a stream limit. A plain HTTP request (no "
        "upgrade) is answered 426 with `Upgrade: websocket`.",
        "parameters": [
            {
                "name": "access_token",
                "in": "query",
                "required": False,
                "description": "The access token (or send it in a first `auth` message).",
                "schema": {"type": "string"},
            }
        ],
        "responses": {
            "101": {"description": "Switching Protocols: the socket is open."},
            "403": {
                "description": "The handshake was refused before the socket opened (an unknown "
                "`X-Client-Key`)."
            },
            "426": {
                "description": "A plain HTTP request, not a WebSocket upgrade.",
                "headers": {
                    "Upgrade": {
                        "description": "`websocket`",
                        "required": True,
                        "schema": {"const": "websocket"},
                    }
                },
            },
        },
        "x-websocket": {
            "server-messages": {"$ref": f"{SCHEMAS}StreamServerMessage"},
            "client-messages": {"$ref": f"{SCHEMAS}StreamClientMessage"},
            "close-codes": {
                "4400": "the first message is not JSON",
                "4401": "the token is invalid or expired, or the session ended",
                "4408": "no auth message within 5 seconds",
                "4429": "over a stream limit (connection attempts, open streams per user, "
                "messages per minute); the close reason says which",
            },
        },
    }


def stream_schemas() -> dict[str, Any]:
    events = [schema["properties"]["event"]["const"] for schema in _STREAM_SERVER.values()]
    kinds = [schema["properties"]["type"]["const"] for schema in _STREAM_CLIENT.values()]
    return {
        **_STREAM_SERVER,
        **_STREAM_CLIENT,
        "StreamServerMessage": _union(list(_STREAM_SERVER), "event", events),
        "StreamClientMessage": _union(list(_STREAM_CLIENT), "type", kinds),
    }
