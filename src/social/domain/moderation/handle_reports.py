"""The moderation queue and resolving reports (MOD-1)."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from social.domain.accounts.model import AccountStatus
from social.domain.accounts.ports import ActiveSessionLookup
from social.domain.media.jobs import DiscardPostMedia
from social.domain.moderation.model import (
    AuditEntry,
    Report,
    ReportStatus,
    Resolution,
    TargetType,
    clean_reason,
)
from social.domain.moderation.moderate_accounts import audit, suspend
from social.domain.moderation.policy import require_admin, require_moderator
from social.domain.moderation.ports import ModerationUnitOfWork, ModerationUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Conflict, Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import RetractFeedEntry
from social.domain.shared.pagination import Cursor, Page, PageRequest
from social.domain.shared.search_changes import ChangeKind

__all__ = ["ListAuditLog", "ModerationQueue", "ResolveReport"]


class ModerationQueue:
    """Rules: moderators and admins only; open reports oldest first, resolved ones newest."""

    def __init__(self, *, uow: ModerationUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, viewer: Viewer, status: ReportStatus, page: PageRequest[Cursor]
    ) -> Page[Report, Cursor]:
        require_moderator(viewer)
        async with self._uow() as uow:
            return await uow.reports.queue(status, page)


class ResolveReport:
    """Rules: a moderator resolves an open report once: ``dismiss`` keeps everything,
    ``remove_content`` deletes the reported post or comment (its media, search entry and
    feed lines go with it by jobs), ``suspend_user`` suspends the account the report is about
    (the content's author). Every resolution is in the audit log, with its note."""

    def __init__(
        self, *, uow: ModerationUnitOfWorkFactory, clock: Clock, sessions: ActiveSessionLookup
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sessions = sessions

    async def execute(
        self, viewer: Viewer, report_id: UUID, action: Resolution, note: str | None = None
    ) -> None:
        require_moderator(viewer)
        text = clean_reason(note, field="note") if note and note.strip() else None
        suspended: UUID | None = None
        async with self._uow() as uow:
            report = await uow.reports.get(report_id)
            if report is None:
                raise NotFound("No such report.")
            if report.status is ReportStatus.RESOLVED:
                raise Conflict("This report is already resolved.")
            if action is Resolution.REMOVE_CONTENT:
                await self._remove(uow, report)
            elif action is Resolution.SUSPEND_USER:
                suspended = await self._suspend(uow, viewer, report, text)
            resolved = replace(
                report,
                status=ReportStatus.RESOLVED,
                resolution=action,
                note=text,
                resolved_by=viewer.user_id,
                resolved_at=self._clock.now(),
            )
            await uow.reports.resolve(resolved)
            await audit(
                uow,
                self._clock,
                viewer.user_id,
                f"resolve_report:{action.value}",
                report.target_type.value,
                report.target_id,
                report_id=str(report.id),
                note=text,
            )
            await uow.commit()
        if suspended is not None:
            self._sessions.forget_user(suspended)

    async def _remove(self, uow: ModerationUnitOfWork, report: Report) -> None:
        if report.target_type is TargetType.USER:
            raise Invalid.field("action", "an account has no content to remove: suspend it")
        if report.target_type is TargetType.COMMENT:
            await uow.comments.delete(report.target_id)
            return
        post = await uow.posts.get(report.target_id)
        if post is not None and await uow.posts.delete(post.id):
            await uow.jobs.enqueue(DiscardPostMedia(post.media_ids))
            await uow.search_changes.record(ChangeKind.POST, post.id)
            await uow.jobs.enqueue(RetractFeedEntry(entry_id=post.id, actor_id=post.author_id))

    async def _suspend(
        self, uow: ModerationUnitOfWork, viewer: Viewer, report: Report, note: str | None
    ) -> UUID | None:
        owner_id = report.target_owner_id
        user = await uow.users.get(owner_id, for_update=True) if owner_id else None
        if user is None or user.status is not AccountStatus.ACTIVE:
            return None  # gone or suspended already: resolving is all there is to do
        await suspend(uow, self._clock, viewer, user, note)
        return user.id


class ListAuditLog:
    """Rules: admins only; newest first; nothing in it can be changed."""

    def __init__(self, *, uow: ModerationUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer, page: PageRequest[Cursor]) -> Page[AuditEntry, Cursor]:
        require_admin(viewer)
        async with self._uow() as uow:
            return await uow.audit.page(page)
