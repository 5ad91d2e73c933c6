"""``POST /api/v1/reports`` and ``GET /api/v1/admin/reports`` for app tokens (both mounted under
``COLLIDING_PREFIX``: the native API has the same paths).

A Mastodon report names an account and, as evidence, some of its statuses; ours names one
thing. So each status given is reported (a post, or a comment), or the account when none is,
through the one report use case (only what the reporter can see can be reported). App tokens
never hold ``admin:*`` scopes, so the admin listing always answers 403."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.enums import MediaType

from social.adapters.http.dependencies import Injected
from social.adapters.mastodon.auth import Caller
from social.adapters.mastodon.entities import entities_for, rfc3339
from social.adapters.mastodon.params import read_params
from social.adapters.mastodon.path_ids import path_id
from social.adapters.mastodon.routes import COLLIDING_PREFIX
from social.domain.accounts.app_scopes import InsufficientScope
from social.domain.moderation.model import REASON_MAX, Report, TargetType
from social.domain.moderation.report_content import ReportContent
from social.domain.profiles.view_profile import ViewProfile
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer

__all__ = ["AdminReportController", "ReportController"]

CATEGORIES = ("spam", "legal", "violation", "other")
MAX_STATUSES = 20


async def _report_status(
    report_content: ReportContent, viewer: Viewer, status_id: UUID, reason: str
) -> Report:
    """A status is a post or a comment: the post is tried first (a share is neither)."""
    try:
        return await report_content.execute(viewer, TargetType.POST, status_id, reason)
    except NotFound:
        return await report_content.execute(viewer, TargetType.COMMENT, status_id, reason)


class ReportController(Controller):
    path = COLLIDING_PREFIX + "/api/v1/reports"

    @post(
        "/",
        operation_id="mastodonReport",
        status_code=200,
        summary="Report an account or some of its statuses (write:reports)",
        description="`account_id`, `status_ids[]`, `comment` (the reason; the category when "
        "empty), `category` (spam, legal, violation, other). `forward` and `rule_ids[]` are "
        "ignored. Reached at /api/v1/reports with an app token.",
    )
    async def report(
        self,
        request: Request[Any, Any, Any],
        caller: Caller,
        report_content: Injected[ReportContent],
        view_profile: Injected[ViewProfile],
    ) -> Response[Any]:
        viewer = caller.require("write:reports")
        params = await read_params(request)
        target = path_id(params.text("account_id", max_length=100) or "")
        category = params.text("category") or "other"
        if category not in CATEGORIES:
            raise Invalid.field("category", f"Must be one of {', '.join(CATEGORIES)}.")
        comment = (params.text("comment", max_length=REASON_MAX) or "").strip()
        reason = comment or f"Reported as {category} from an app."
        status_ids = [path_id(text) for text in params.texts("status_ids", max_items=MAX_STATUSES)]
        account = await view_profile.execute(viewer, target)  # 404 unless visible
        reports = [
            await _report_status(report_content, viewer, status_id, reason)
            for status_id in dict.fromkeys(status_ids)
        ] or [await report_content.execute(viewer, TargetType.USER, target, reason)]
        first = reports[0]
        head = msgspec.json.encode(
            {
                "id": str(first.id),
                "action_taken": False,
                "action_taken_at": None,
                "category": category,
                "comment": comment,
                "forwarded": False,
                "created_at": rfc3339(first.created_at),
                "status_ids": [str(s) for s in dict.fromkeys(status_ids)],
                "rule_ids": [],
            }
        )
        body = b'%b,"target_account":%b}' % (head[:-1], entities_for(request).account(account))
        return Response(body, media_type=MediaType.JSON)


class AdminReportController(Controller):
    path = COLLIDING_PREFIX + "/api/v1/admin/reports"

    @get(
        "/",
        operation_id="mastodonAdminReports",
        summary="Not for apps: 403 (app tokens never hold admin scopes)",
        description="Moderators use the native /api/v1/admin/reports with their own session. "
        "Reached at /api/v1/admin/reports with an app token.",
    )
    async def reports(self, caller: Caller) -> Response[Any]:
        raise InsufficientScope(
            "This action is outside the authorized scopes (admin:read:reports)."
        )
