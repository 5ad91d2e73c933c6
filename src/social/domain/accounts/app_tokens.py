"""Issuing app access tokens: the client and scope checks every grant shares, and the token
itself (a token acting for an account opens a session of it)."""

from __future__ import annotations

from datetime import datetime

from social.domain.accounts.app_scopes import covers, parse_scopes
from social.domain.accounts.authenticate_app import hash_app_token
from social.domain.accounts.devices import MAX_USER_AGENT, Device
from social.domain.accounts.model import AuthSession, User
from social.domain.accounts.oauth_model import (
    AccessToken,
    ClientApp,
    IssuedAppToken,
    OAuthError,
    hash_secret,
    new_secret,
)
from social.domain.accounts.oauth_ports import OAuthUnitOfWork
from social.domain.shared.errors import Invalid
from social.domain.shared.ids import new_id

__all__ = ["app_session_agent", "authenticate_client", "granted_scopes", "issue_app_token"]

_BAD_CLIENT = "Client authentication failed (unknown client or wrong secret)."


async def authenticate_client(
    uow: OAuthUnitOfWork, client_id: str | None, client_secret: str | None, *, public: bool = False
) -> ClientApp:
    """The app ``client_id`` names, if ``client_secret`` is its secret; with ``public`` a
    missing secret is allowed (the caller then needs another proof: PKCE)."""
    if not client_id:
        raise OAuthError("invalid_client", _BAD_CLIENT)
    app = await uow.oauth.app_by_client_id(client_id)
    if app is None:
        hash_secret(client_secret or "")  # the same work as a known client
        raise OAuthError("invalid_client", _BAD_CLIENT)
    if client_secret is None and public:
        return app
    if not app.secret_matches(client_secret or ""):
        raise OAuthError("invalid_client", _BAD_CLIENT)
    return app


def granted_scopes(app: ClientApp, requested: str | None) -> frozenset[str]:
    """The scopes asked for (default ``read``, as on Mastodon), each one within the app's."""
    try:
        scopes = parse_scopes(requested, default="read")
    except Invalid as exc:
        raise OAuthError("invalid_scope", exc.message) from None
    outside = sorted(s for s in scopes if not covers(app.scopes, s))
    if outside:
        raise OAuthError(
            "invalid_scope", f"The app was not registered for these scopes: {' '.join(outside)}."
        )
    return scopes


def app_session_agent(app: ClientApp) -> str:
    """How the account's sessions list shows a token's session."""
    return f"{app.name} (app)"[:MAX_USER_AGENT]


async def issue_app_token(
    uow: OAuthUnitOfWork,
    app: ClientApp,
    scopes: frozenset[str],
    *,
    user: User | None,
    now: datetime,
    device: Device | None = None,
) -> IssuedAppToken:
    """A new token of ``app``; acting for ``user``, it opens a session of theirs (listed with
    their devices, ended by signing out everywhere, a password change or a suspension). The
    caller commits."""
    plaintext = new_secret()
    session_id = None
    if user is not None:
        session = AuthSession(
            id=new_id(),
            user_id=user.id,
            created_at=now,
            user_agent=app_session_agent(app),
            ip=device.ip if device else None,
            last_used_at=now,
        )
        await uow.sessions.add_session(session)
        session_id = session.id
    await uow.oauth.add_token(
        AccessToken(
            id=new_id(),
            token_hash=hash_app_token(plaintext),
            app_id=app.id,
            scopes=scopes,
            created_at=now,
            user_id=user.id if user else None,
            session_id=session_id,
        )
    )
    return IssuedAppToken(access_token=plaintext, scopes=scopes, created_at=now)
