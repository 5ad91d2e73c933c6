"""The moderation context's use cases: reports, their queue, suspensions, roles, the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.moderation.handle_reports import ListAuditLog, ModerationQueue, ResolveReport
from social.domain.moderation.moderate_accounts import ChangeRole, SuspendAccount
from social.domain.moderation.report_content import ReportContent

__all__ = ["ModerationUseCases", "build"]


@dataclass(frozen=True, slots=True)
class ModerationUseCases:
    report_content: ReportContent
    moderation_queue: ModerationQueue
    resolve_report: ResolveReport
    suspend_account: SuspendAccount
    change_role: ChangeRole
    list_audit_log: ListAuditLog


def build(a: Adapters) -> ModerationUseCases:
    return ModerationUseCases(
        report_content=ReportContent(uow=a.uow, clock=a.clock),
        moderation_queue=ModerationQueue(uow=a.uow),
        resolve_report=ResolveReport(uow=a.uow, clock=a.clock, sessions=a.sessions),
        suspend_account=SuspendAccount(uow=a.uow, clock=a.clock, sessions=a.sessions),
        change_role=ChangeRole(uow=a.uow, clock=a.clock, sessions=a.sessions),
        list_audit_log=ListAuditLog(uow=a.uow),
    )
