"""Registering, listing and revoking API clients (admins only)."""

from __future__ import annotations

from uuid import UUID

from social.domain.activity.identify_client import IdentifyClient
from social.domain.activity.model import (
    DISPLAY_PREFIX_LENGTH,
    ApiClient,
    IssuedApiKey,
    clean_client_name,
    hash_api_key,
    new_api_key,
)
from social.domain.activity.ports import ActivityUnitOfWork, ActivityUnitOfWorkFactory
from social.domain.moderation.model import AuditEntry
from social.domain.moderation.policy import require_admin
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id

__all__ = [
    "REGISTER_ACTION",
    "REVOKE_ACTION",
    "ListApiClients",
    "RegisterApiClient",
    "RevokeApiClient",
]


REGISTER_ACTION = "register_api_client"
REVOKE_ACTION = "revoke_api_client"


async def _audit(
    uow: ActivityUnitOfWork, viewer: Viewer, action: str, client: ApiClient, clock: Clock
) -> None:
    """In the same transaction as the change: an action is in the log exactly when it happened."""
    entry = AuditEntry(
        id=new_id(),
        actor_id=viewer.user_id,
        action=action,
        target_type="api_client",
        target_id=client.id,
        created_at=clock.now(),
        details={"name": client.name, "key_prefix": client.key_prefix},
    )
    await uow.audit.append(entry)


class RegisterApiClient:
    """Rules: admins only; the name is one trimmed line of 1 to 100 characters, unique; the key
    is returned once and stored only as its SHA-256 hash (plus a short prefix for display);
    the registration is in the audit log."""

    def __init__(self, *, uow: ActivityUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, name: str) -> IssuedApiKey:
        require_admin(viewer)
        clean = clean_client_name(name)
        key = new_api_key()
        client = ApiClient(
            id=new_id(),
            name=clean,
            key_prefix=key[:DISPLAY_PREFIX_LENGTH],
            key_hash=hash_api_key(key),
            created_at=self._clock.now(),
        )
        async with self._uow() as uow:
            await uow.api_clients.add(client)
            await _audit(uow, viewer, REGISTER_ACTION, client, self._clock)
            await uow.commit()
        return IssuedApiKey(client, key)


class ListApiClients:
    """Rules: admins only; every client, revoked ones too, oldest first; never a key."""

    def __init__(self, *, uow: ActivityUnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, viewer: Viewer) -> list[ApiClient]:
        require_admin(viewer)
        async with self._uow() as uow:
            return await uow.api_clients.all()


class RevokeApiClient:
    """Rules: admins only; revoking twice is harmless (and audited once); the key stops working
    at once in this process and within the key cache's few seconds in the others. Its history
    stays."""

    def __init__(
        self, *, uow: ActivityUnitOfWorkFactory, clock: Clock, identify: IdentifyClient
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._identify = identify

    async def execute(self, viewer: Viewer, client_id: UUID) -> None:
        require_admin(viewer)
        async with self._uow() as uow:
            client = await uow.api_clients.get(client_id)
            if client is None:
                raise NotFound("No such API client.")
            if await uow.api_clients.revoke(client.id, self._clock.now()):
                await _audit(uow, viewer, REVOKE_ACTION, client, self._clock)
                await uow.commit()
        self._identify.forget(client.id)
