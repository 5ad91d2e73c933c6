"""/admin/clients (register, list, revoke API clients) and /admin/usage (admins only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.request_body import RequestBody
from social.adapters.http.request_limits import ClientName
from social.domain.activity.manage_clients import ListApiClients, RegisterApiClient, RevokeApiClient
from social.domain.activity.model import ApiClient, ClientDailyUsage, ClientRequests
from social.domain.activity.usage import DailyUsage, TopClients
from social.domain.shared.identity import Viewer

__all__ = ["ApiClientController", "UsageController"]

Me = NamedDependency[Viewer]


class ApiClientIn(RequestBody, kw_only=True):
    name: ClientName


class ApiClientCreatedOut(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    api_key: str
    """Shown this once: only its hash is stored. Send it as ``X-Client-Key``."""
    key_prefix: str
    created_at: dt.datetime


class ApiClientOut(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    key_prefix: str
    """The key's first characters, to tell keys apart; not a secret."""
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class DayOut(msgspec.Struct, kw_only=True):
    date: dt.date
    """A UTC day."""
    requests: int


class ClientUsageOut(msgspec.Struct, kw_only=True):
    client_id: UUID
    name: str
    days: list[DayOut]
    """The last seven UTC days, oldest first, today last; zeros included."""


class TopClientOut(msgspec.Struct, kw_only=True):
    client_id: UUID
    name: str
    requests: int


def _client(c: ApiClient) -> ApiClientOut:
    return ApiClientOut(
        id=c.id,
        name=c.name,
        key_prefix=c.key_prefix,
        created_at=c.created_at,
        revoked_at=c.revoked_at,
    )


def _usage(u: ClientDailyUsage) -> ClientUsageOut:
    return ClientUsageOut(
        client_id=u.client_id,
        name=u.name,
        days=[DayOut(date=d.day, requests=d.requests) for d in u.days],
    )


def _top(t: ClientRequests) -> TopClientOut:
    return TopClientOut(client_id=t.client_id, name=t.name, requests=t.requests)


class ApiClientController(Controller):
    path = "/admin/clients"
    tags = ["admin"]
    security = BEARER_SECURITY

    @post(
        "/",
        operation_id="registerApiClient",
        status_code=201,
        summary="Register a client app; its API key is in this answer and nowhere else",
        responses=problems(401, 403, 409, 422),
    )
    async def register(
        self,
        data: JSONBody[ApiClientIn],
        register_api_client: Injected[RegisterApiClient],
        viewer: Me,
    ) -> ApiClientCreatedOut:
        issued = await register_api_client.execute(viewer, data.name)
        c = issued.client
        return ApiClientCreatedOut(
            id=c.id,
            name=c.name,
            api_key=issued.api_key,
            key_prefix=c.key_prefix,
            created_at=c.created_at,
        )

    @get(
        "/",
        operation_id="listApiClients",
        summary="Every client app, revoked ones too, oldest first (never their keys)",
        responses=problems(401, 403),
    )
    async def list_clients(
        self, list_api_clients: Injected[ListApiClients], viewer: Me
    ) -> list[ApiClientOut]:
        return [_client(c) for c in await list_api_clients.execute(viewer)]

    @delete(
        "/{client_id:uuid}",
        operation_id="revokeApiClient",
        status_code=204,
        summary="Revoke a client's key: requests carrying it get 401 from now on",
        responses=problems(401, 403, 404),
    )
    async def revoke(
        self, client_id: FromPath[UUID], revoke_api_client: Injected[RevokeApiClient], viewer: Me
    ) -> None:
        await revoke_api_client.execute(viewer, client_id)


class UsageController(Controller):
    path = "/admin/usage"
    tags = ["admin"]
    security = BEARER_SECURITY

    @get(
        "/daily",
        operation_id="dailyUsage",
        summary="Requests per UTC day over the last 7 days, per client (cached briefly)",
        description="Every registered client, or the one named by `client_id`. Requests sent "
        "without `X-Client-Key` belong to no client and are not counted here.",
        responses=problems(401, 403, 404, 422),
    )
    async def daily(
        self,
        daily_usage: Injected[DailyUsage],
        viewer: Me,
        client_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> list[ClientUsageOut]:
        usage = await daily_usage.execute(viewer, client_id)
        return [_usage(u) for u in usage]

    @get(
        "/top",
        operation_id="topClients",
        summary="The 3 clients with the most requests in the last 24 hours (cached briefly)",
        responses=problems(401, 403),
    )
    async def top(self, top_clients: Injected[TopClients], viewer: Me) -> list[TopClientOut]:
        return [_top(t) for t in await top_clients.execute(viewer)]
