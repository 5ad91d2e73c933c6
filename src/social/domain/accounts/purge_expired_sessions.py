"""Forget refresh tokens and sessions nobody can use any more (a periodic job)."""

from __future__ import annotations

from social.domain.accounts.oauth_ports import OAuthUnitOfWorkFactory
from social.domain.shared.clock import Clock

__all__ = ["PurgeExpiredSessions"]


class PurgeExpiredSessions:
    """Rules: a refresh token past its expiry can never be used again, so its hash is deleted;
    a session is deleted once it has no tokens left (a session of an app access token has none
    and stands until revoked: it is kept); OAuth authorization codes past their expiry go too.
    Idempotent."""

    def __init__(self, *, uow: OAuthUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self) -> int:
        async with self._uow() as uow:
            now = self._clock.now()
            removed = await uow.sessions.delete_expired(now)
            await uow.oauth.delete_expired_codes(now)
            await uow.commit()
        return removed
