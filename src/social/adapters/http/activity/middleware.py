"""Attributes each API request to its client (``X-Client-Key``) and records it in the activity
log, as a plain ASGI middleware: one header scan, one cached lookup and a buffer append."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from uuid import UUID

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from social.adapters.http.notifications.stream import CLOSE_UNAUTHORIZED
from social.adapters.http.problems import send_problem
from social.adapters.http.request_context import response_status
from social.domain.activity.identify_client import IdentifyClient
from social.domain.activity.model import ActivityEntry
from social.domain.activity.ports import ActivityLog
from social.domain.shared.errors import AuthenticationFailed
from social.use_cases import UseCases

__all__ = ["CLIENT_KEY_HEADER", "ActivityMiddleware"]

log = logging.getLogger(__name__)
CLIENT_KEY_HEADER = b"x-client-key"
_RECORDED = (ScopeType.HTTP, ScopeType.WEBSOCKET)


class ActivityMiddleware:
    """For every request under ``prefix`` (the WebSocket stream too): a ``X-Client-Key`` that
    names no active client is refused with 401 problem+json; otherwise the request runs, and
    one entry (client, user, method, route template, status, latency, time) goes to the
    ``ActivityLog`` of ``app.state.adapters``, which writes it later. Litestar runs app
    middleware after routing, so ``path_template`` is known; requests matching no route
    (404/405 from the router) never reach this middleware and are not recorded."""

    def __init__(self, app: ASGIApp, *, prefix: str) -> None:
        self.app = app
        self._prefix = prefix.rstrip("/") + "/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in _RECORDED or not scope["path"].startswith(self._prefix):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        started, at = time.perf_counter(), state.adapters.clock.now()
        status = 500
        client_id: UUID | None = None

        async def send_with_status(message: Message) -> None:
            nonlocal status
            status = response_status(message, status)
            await send(message)

        try:
            key = _client_key(scope)
            if key is not None:
                try:
                    use_cases: UseCases = state.use_cases
                    client = await use_cases.get(IdentifyClient).execute(key)
                except AuthenticationFailed as exc:
                    await _refuse(scope, send_with_status, exc.message)
                    return
                client_id = client.id
            await self.app(scope, receive, send_with_status)
        finally:
            _record(state.adapters.activity, scope, client_id, status, started, at)


def _client_key(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == CLIENT_KEY_HEADER:
            return value.decode("latin-1").strip() or None
    return None


def _record(
    activity: ActivityLog,
    scope: Scope,
    client_id: UUID | None,
    status: int,
    started: float,
    at: datetime,
) -> None:
    try:
        viewer = scope.get("state", {}).get("viewer")
        activity.record(
            ActivityEntry(
                client_id=client_id,
                user_id=viewer.user_id if viewer is not None else None,
                method=str(scope.get("method", "WS")),
                route=scope.get("path_template") or scope["path"],
                status=status,
                latency_ms=round((time.perf_counter() - started) * 1000, 3),
                at=at,
            )
        )
    except Exception:  # the log must never break a request
        log.exception("could not record API activity")


async def _refuse(scope: Scope, send: Send, detail: str) -> None:
    if scope["type"] == ScopeType.WEBSOCKET:
        await send({"type": "websocket.close", "code": CLOSE_UNAUTHORIZED, "reason": detail})
        return
    await send_problem(send, 401, detail)
