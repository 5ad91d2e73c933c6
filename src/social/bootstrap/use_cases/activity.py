"""The activity context's use cases: API clients, their keys, and usage figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.activity.identify_client import IdentifyClient
from social.domain.activity.manage_clients import (
    ListApiClients,
    RegisterApiClient,
    RevokeApiClient,
)
from social.domain.activity.purge_activity import PurgeOldActivity
from social.domain.activity.usage import DailyUsage, TopClients

__all__ = ["ActivityUseCases", "build"]


@dataclass(frozen=True, slots=True)
class ActivityUseCases:
    identify_client: IdentifyClient
    register_api_client: RegisterApiClient
    list_api_clients: ListApiClients
    revoke_api_client: RevokeApiClient
    daily_usage: DailyUsage
    top_clients: TopClients
    purge_old_activity: PurgeOldActivity


def build(a: Adapters) -> ActivityUseCases:
    settings = a.settings
    identify = IdentifyClient(
        uow=a.uow, clock=a.clock, ttl=timedelta(seconds=settings.activity.client_key_cache_ttl_s)
    )
    usage_ttl = timedelta(seconds=settings.activity.usage_cache_ttl_s)
    return ActivityUseCases(
        identify_client=identify,
        register_api_client=RegisterApiClient(uow=a.uow, clock=a.clock),
        list_api_clients=ListApiClients(uow=a.uow),
        revoke_api_client=RevokeApiClient(uow=a.uow, clock=a.clock, identify=identify),
        daily_usage=DailyUsage(uow=a.uow, clock=a.clock, cache_ttl=usage_ttl),
        top_clients=TopClients(uow=a.uow, clock=a.clock, cache_ttl=usage_ttl),
        purge_old_activity=PurgeOldActivity(
            uow=a.uow,
            clock=a.clock,
            retention=timedelta(days=settings.activity.activity_retention_days),
        ),
    )
