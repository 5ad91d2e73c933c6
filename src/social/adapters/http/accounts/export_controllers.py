"""/me/exports: asking for an archive of one's data and listing one's archives (AUTH-10)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.domain.lifecycle.request_export import (
    ExportView,
    ListDataExports,
    RequestDataExport,
)
from social.domain.shared.identity import Viewer

__all__ = ["DataExportController"]

Me = NamedDependency[Viewer]
ExportStatusName = Literal["pending", "ready", "failed", "expired"]


class ExportAcceptedOut(msgspec.Struct, kw_only=True):
    id: UUID
    status: ExportStatusName


class ExportOut(msgspec.Struct, kw_only=True):
    id: UUID
    status: ExportStatusName
    created_at: datetime
    expires_at: datetime
    """A pending export: when it would expire if ready now; a ready one: when its archive and
    link stop working."""
    url: str | None
    """A signed link to the zip archive, valid until ``expires_at``; only when ready."""


def _out(view: ExportView) -> ExportOut:
    export = view.export
    return ExportOut(
        id=export.id,
        status=export.status.value,
        created_at=export.created_at,
        expires_at=export.expires_at,
        url=view.url,
    )


class DataExportController(Controller):
    path = "/me/exports"
    tags = ["me"]
    security = BEARER_SECURITY

    @post(
        "/",
        operation_id="requestDataExport",
        status_code=202,
        summary="Ask for an archive of your data",
        description=(
            "Queues a job that builds one zip of your profile, posts (with their media), "
            "comments, likes, bookmarks, followers and following; you are mailed a link when "
            "it is ready. One export at a time: another while one is pending is 409."
        ),
        responses=problems(401, 409),
    )
    async def request_export(
        self, request_data_export: Injected[RequestDataExport], viewer: Me
    ) -> ExportAcceptedOut:
        export = await request_data_export.execute(viewer)
        return ExportAcceptedOut(id=export.id, status=export.status.value)

    @get(
        "/",
        operation_id="listDataExports",
        summary="Your data exports, newest first",
        responses=problems(401),
    )
    async def list_exports(
        self, list_data_exports: Injected[ListDataExports], viewer: Me
    ) -> list[ExportOut]:
        return [_out(view) for view in await list_data_exports.execute(viewer)]
