"""/me/sessions: the signed-in devices of the account (AUTH-9), each revocable."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from litestar import Controller, delete, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.domain.accounts.manage_sessions import (
    ListSessions,
    RevokeOtherSessions,
    RevokeSession,
    SessionView,
)
from social.domain.shared.identity import Viewer

__all__ = ["SessionController", "SessionOut"]

Me = NamedDependency[Viewer]


class SessionOut(msgspec.Struct, kw_only=True):
    """A signed-in device. ``ip`` is the coarse network (IPv4 /24, IPv6 /48) it signed in
    from, ``null`` when unknown; ``last_used_at`` its latest sign-in or token refresh."""

    id: UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str
    ip: str | None
    current: bool


class SessionController(Controller):
    path = "/me/sessions"
    tags = ["me"]
    security = BEARER_SECURITY

    @get(
        "/",
        operation_id="listSessions",
        summary="The signed-in devices, newest first",
        description="Sessions that still stand (not signed out, not expired); `current` marks "
        "the one of the access token used.",
        responses=problems(401),
    )
    async def list_sessions(
        self, list_sessions: Injected[ListSessions], viewer: Me
    ) -> list[SessionOut]:
        return [_session_out(s) for s in await list_sessions.execute(viewer)]

    @delete(
        "/{session_id:uuid}",
        operation_id="revokeSession",
        summary="Sign out one device",
        description="Its refresh token stops working at once, its access token within seconds. "
        "A session that is not yours is not found.",
        responses=problems(401, 404),
    )
    async def revoke_session(
        self, session_id: FromPath[UUID], revoke_session: Injected[RevokeSession], viewer: Me
    ) -> None:
        await revoke_session.execute(viewer, session_id)

    @delete(
        "/",
        operation_id="revokeOtherSessions",
        summary="Sign out every device but this one",
        responses=problems(401),
    )
    async def revoke_other_sessions(
        self, revoke_other_sessions: Injected[RevokeOtherSessions], viewer: Me
    ) -> None:
        await revoke_other_sessions.execute(viewer)


def _session_out(s: SessionView) -> SessionOut:
    return SessionOut(
        id=s.id,
        created_at=s.created_at,
        last_used_at=s.last_used_at,
        user_agent=s.user_agent,
        ip=s.ip,
        current=s.current,
    )
