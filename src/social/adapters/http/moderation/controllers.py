"""/reports for everyone; /admin for moderators and admins (and only from allowed addresses)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, get, post, put
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, JSONBody, QueryParameter
from msgspec import Meta

from social.adapters.http.client_ip import Networks, client_ip
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging, encode_cursor
from social.adapters.http.request_body import RequestBody
from social.adapters.http.request_limits import Reason
from social.domain.moderation.handle_reports import ListAuditLog, ModerationQueue, ResolveReport
from social.domain.moderation.model import (
    REASON_MAX,
    AuditEntry,
    Report,
    ReportStatus,
    Resolution,
    TargetType,
)
from social.domain.moderation.moderate_accounts import ChangeRole, SuspendAccount
from social.domain.moderation.report_content import ReportContent
from social.domain.shared.errors import Forbidden
from social.domain.shared.identity import Role, Viewer

__all__ = ["AdminController", "ReportController", "admin_allow_list"]

Me = NamedDependency[Viewer]
Note = Annotated[str, Meta(max_length=REASON_MAX)] | None


class ReportIn(RequestBody, kw_only=True):
    target_type: Literal["post", "comment", "user"]
    target_id: UUID
    reason: Reason


class ReportCreatedOut(msgspec.Struct, kw_only=True):
    id: UUID


class ReportOut(msgspec.Struct, kw_only=True):
    id: UUID
    reporter_id: UUID
    target_type: str
    target_id: UUID
    target_owner_id: UUID | None
    reason: str
    status: str
    resolution: str | None
    note: str | None
    resolved_by: UUID | None
    resolved_at: datetime | None
    created_at: datetime


class ReportPageOut(msgspec.Struct, kw_only=True):
    items: list[ReportOut]
    next_cursor: str | None


class ResolveIn(RequestBody, kw_only=True):
    action: Literal["dismiss", "remove_content", "suspend_user"]
    note: Note = None


class ModerationNoteIn(RequestBody, kw_only=True):
    note: Note = None


class RoleIn(RequestBody, kw_only=True):
    role: Literal["user", "moderator", "admin"]


class AuditEntryOut(msgspec.Struct, kw_only=True):
    id: UUID
    actor_id: UUID | None
    """``null``: done from the command line."""
    action: str
    target_type: str
    target_id: UUID
    details: dict[str, Any]
    created_at: datetime


class AuditPageOut(msgspec.Struct, kw_only=True):
    items: list[AuditEntryOut]
    next_cursor: str | None


def _report(r: Report) -> ReportOut:
    return ReportOut(
        id=r.id,
        reporter_id=r.reporter_id,
        target_type=r.target_type.value,
        target_id=r.target_id,
        target_owner_id=r.target_owner_id,
        reason=r.reason,
        status=r.status.value,
        resolution=r.resolution.value if r.resolution else None,
        note=r.note,
        resolved_by=r.resolved_by,
        resolved_at=r.resolved_at,
        created_at=r.created_at,
    )


def _audit(e: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        id=e.id,
        actor_id=e.actor_id if e.actor_id.int else None,
        action=e.action,
        target_type=e.target_type,
        target_id=e.target_id,
        details=e.details,
        created_at=e.created_at,
    )


def admin_allow_list(allowed: Networks, proxies: Networks) -> Any:
    """A guard: with an allow-list configured, /admin answers only those addresses."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if allowed and client_ip(connection.scope, proxies) not in allowed:
            raise Forbidden("The admin endpoints are not open to this address.")

    return guard


class ReportController(Controller):
    path = "/reports"
    tags = ["moderation"]
    security = BEARER_SECURITY

    @post(
        "/",
        operation_id="report",
        status_code=201,
        summary="Report a post, a comment or an account",
        description="Reporting the same thing again while your report is open returns it.",
        responses=problems(401, 404, 422),
    )
    async def report(
        self, data: JSONBody[ReportIn], report_content: Injected[ReportContent], viewer: Me
    ) -> ReportCreatedOut:
        report = await report_content.execute(
            viewer, TargetType(data.target_type), data.target_id, data.reason
        )
        return ReportCreatedOut(id=report.id)


class AdminController(Controller):
    path = "/admin"
    tags = ["admin"]
    security = BEARER_SECURITY

    @get(
        "/reports",
        operation_id="moderationQueue",
        summary="Reports: open ones oldest first (the queue), resolved newest first",
        responses=problems(401, 403, 422),
        dependencies=MEMBER_PAGE,
    )
    async def reports(
        self,
        moderation_queue: Injected[ModerationQueue],
        viewer: Me,
        status: Annotated[Literal["open", "resolved"], QueryParameter()] = "open",
        *,
        page: Paging,
    ) -> ReportPageOut:
        found = await moderation_queue.execute(viewer, ReportStatus(status), page.by_time)
        return ReportPageOut(
            items=[_report(r) for r in found.items], next_cursor=encode_cursor(found.next_cursor)
        )

    @post(
        "/reports/{report_id:uuid}/resolve",
        operation_id="resolveReport",
        status_code=204,
        summary="Resolve a report: dismiss it, remove the content or suspend its author",
        responses=problems(401, 403, 404, 409, 422),
    )
    async def resolve(
        self,
        report_id: FromPath[UUID],
        data: JSONBody[ResolveIn],
        resolve_report: Injected[ResolveReport],
        viewer: Me,
    ) -> None:
        await resolve_report.execute(viewer, report_id, Resolution(data.action), data.note)

    @post(
        "/users/{user_id:uuid}/suspend",
        operation_id="suspendUser",
        status_code=204,
        summary="Suspend an account: it cannot sign in, and its content disappears",
        responses=problems(401, 403, 404),
    )
    async def suspend(
        self,
        user_id: FromPath[UUID],
        suspend_account: Injected[SuspendAccount],
        viewer: Me,
        data: JSONBody[ModerationNoteIn | None] = None,
    ) -> None:
        await suspend_account.suspend(viewer, user_id, data.note if data else None)

    @post(
        "/users/{user_id:uuid}/reinstate",
        operation_id="reinstateUser",
        status_code=204,
        summary="Lift a suspension: the account and its content come back",
        responses=problems(401, 403, 404),
    )
    async def reinstate(
        self,
        user_id: FromPath[UUID],
        suspend_account: Injected[SuspendAccount],
        viewer: Me,
        data: JSONBody[ModerationNoteIn | None] = None,
    ) -> None:
        await suspend_account.reinstate(viewer, user_id, data.note if data else None)

    @put(
        "/users/{user_id:uuid}/role",
        operation_id="changeRole",
        status_code=204,
        summary="Change an account's role (admins only)",
        responses=problems(401, 403, 404, 422),
    )
    async def role(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[RoleIn],
        change_role: Injected[ChangeRole],
        viewer: Me,
    ) -> None:
        await change_role.execute(viewer, user_id, Role(data.role))

    @get(
        "/audit-log",
        operation_id="auditLog",
        summary="Every moderation and role action, newest first (admins only)",
        responses=problems(401, 403, 422),
        dependencies=MEMBER_PAGE,
    )
    async def audit_log(
        self, list_audit_log: Injected[ListAuditLog], viewer: Me, page: Paging
    ) -> AuditPageOut:
        found = await list_audit_log.execute(viewer, page.by_time)
        return AuditPageOut(
            items=[_audit(e) for e in found.items], next_cursor=encode_cursor(found.next_cursor)
        )
