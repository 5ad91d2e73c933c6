"""The lifecycle context's use cases: erasing a deleted account, everything it left; the
archive of a user's data (AUTH-10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.lifecycle.build_export import BuildDataExport, SendDataExportLink
from social.domain.lifecycle.data_export import ExportLimits
from social.domain.lifecycle.expire_exports import ExpireDataExports
from social.domain.lifecycle.purge_account import PurgeAccount
from social.domain.lifecycle.request_export import ListDataExports, RequestDataExport

__all__ = ["LifecycleUseCases", "build"]


@dataclass(frozen=True, slots=True)
class LifecycleUseCases:
    purge_account: PurgeAccount
    request_data_export: RequestDataExport
    list_data_exports: ListDataExports
    build_data_export: BuildDataExport
    send_data_export_link: SendDataExportLink
    expire_data_exports: ExpireDataExports


def build(a: Adapters) -> LifecycleUseCases:
    exports = ExportLimits(ttl=timedelta(days=a.settings.accounts.export_ttl_days))
    storage, clock = a.storage, a.clock
    hold = timedelta(days=a.settings.accounts.username_hold_days)
    return LifecycleUseCases(
        purge_account=PurgeAccount(uow=a.uow, storage=storage, clock=clock, username_hold=hold),
        request_data_export=RequestDataExport(uow=a.uow, clock=clock, limits=exports),
        list_data_exports=ListDataExports(uow=a.uow, storage=storage, clock=clock),
        build_data_export=BuildDataExport(
            uow=a.uow,
            storage=storage,
            references=a.face_references,
            clock=clock,
            limits=exports,
        ),
        send_data_export_link=SendDataExportLink(
            uow=a.uow,
            storage=storage,
            mailer=a.mailer,
            clock=clock,
            base_url=a.settings.base_url,
        ),
        expire_data_exports=ExpireDataExports(
            uow=a.uow, storage=storage, clock=clock, limits=exports
        ),
    )
