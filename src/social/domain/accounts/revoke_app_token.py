"""Revoke an app access token (RFC 7009, Mastodon's ``POST /oauth/revoke``)."""

from __future__ import annotations

from social.domain.accounts.app_tokens import authenticate_client
from social.domain.accounts.authenticate_app import AppTokenLookup, hash_app_token
from social.domain.accounts.oauth_ports import OAuthUnitOfWorkFactory
from social.domain.accounts.ports import ActiveSessionLookup
from social.domain.shared.clock import Clock

__all__ = ["RevokeAppToken"]


class RevokeAppToken:
    """Rules: the client authenticates with its secret and revokes one of its own tokens; the
    token's session ends with it (so it leaves the account's sessions list). An unknown,
    already revoked or another client's token is answered the same way, as RFC 7009 asks (a
    client learns nothing of other tokens). The token stops working in this process at once
    and in the others within the session cache's TTL (at once with Redis: the session's end
    is told to every process); a client-credentials token, without a session, within the
    grant cache's TTL."""

    def __init__(
        self,
        *,
        uow: OAuthUnitOfWorkFactory,
        clock: Clock,
        grants: AppTokenLookup,
        sessions: ActiveSessionLookup,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._grants = grants
        self._sessions = sessions

    async def execute(self, client_id: str | None, client_secret: str | None, token: str) -> None:
        token_hash = hash_app_token(token)
        now = self._clock.now()
        async with self._uow() as uow:
            app = await authenticate_client(uow, client_id, client_secret)
            found = await uow.oauth.token_by_hash(token_hash)
            if found is None or found.app_id != app.id:
                return
            await uow.oauth.revoke_token(found.id, now)
            if found.session_id is not None:
                await uow.sessions.revoke_session(found.session_id, now, "app-token-revoked")
            await uow.commit()
        self._grants.forget(token_hash)
        if found.session_id is not None:
            self._sessions.forget(found.session_id)
