"""The lifecycle context's use case: erasing a deleted account, everything it left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.lifecycle.purge_account import PurgeAccount

__all__ = ["LifecycleUseCases", "build"]


@dataclass(frozen=True, slots=True)
class LifecycleUseCases:
    purge_account: PurgeAccount


def build(a: Adapters) -> LifecycleUseCases:
    hold = timedelta(days=a.settings.accounts.username_hold_days)
    return LifecycleUseCases(
        purge_account=PurgeAccount(uow=a.uow, storage=a.storage, clock=a.clock, username_hold=hold)
    )
