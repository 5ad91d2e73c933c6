"""The OAuth store in PostgreSQL: apps, authorization codes (the single-use claim is one
atomic UPDATE) and access tokens; and the grant lookup every app request makes, one indexed
query on the read pool."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.oauth_tables import OAuthAccessTokenRow, OAuthAppRow, OAuthCodeRow
from social.adapters.postgres.read_pool import ReadPool
from social.domain.accounts.authenticate_app import AppTokenGrant
from social.domain.accounts.oauth_model import AccessToken, AuthorizationCode, ClientApp

__all__ = ["AsyncpgAppTokenLookup", "SqlaOAuthRepository"]


def _scopes(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _text(scopes: frozenset[str]) -> str:
    return " ".join(sorted(scopes))


class SqlaOAuthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add_app(self, app: ClientApp) -> None:
        self._db.add(
            OAuthAppRow(
                id=app.id,
                name=app.name,
                website=app.website,
                redirect_uris="\n".join(app.redirect_uris),
                scopes=_text(app.scopes),
                client_id=app.client_id,
                client_secret_hash=app.client_secret_hash,
                created_at=app.created_at,
            )
        )
        await self._db.flush()

    async def get_app(self, app_id: UUID) -> ClientApp | None:
        row = await self._db.get(OAuthAppRow, app_id)
        return None if row is None else _app(row)

    async def app_by_client_id(self, client_id: str) -> ClientApp | None:
        row = await self._db.scalar(select(OAuthAppRow).where(OAuthAppRow.client_id == client_id))
        return None if row is None else _app(row)

    async def add_token(self, token: AccessToken) -> None:
        self._db.add(
            OAuthAccessTokenRow(
                id=token.id,
                token_hash=token.token_hash,
                app_id=token.app_id,
                user_id=token.user_id,
                session_id=token.session_id,
                scopes=_text(token.scopes),
                created_at=token.created_at,
                revoked_at=token.revoked_at,
            )
        )
        await self._db.flush()

    async def token_by_hash(self, token_hash: bytes) -> AccessToken | None:
        row = await self._db.scalar(
            select(OAuthAccessTokenRow).where(OAuthAccessTokenRow.token_hash == token_hash)
        )
        if row is None:
            return None
        return AccessToken(
            id=row.id,
            token_hash=row.token_hash,
            app_id=row.app_id,
            scopes=_scopes(row.scopes),
            created_at=row.created_at,
            user_id=row.user_id,
            session_id=row.session_id,
            revoked_at=row.revoked_at,
        )

    async def revoke_token(self, token_id: UUID, at: datetime) -> None:
        await self._db.execute(
            update(OAuthAccessTokenRow)
            .where(OAuthAccessTokenRow.id == token_id, OAuthAccessTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def add_code(self, code: AuthorizationCode) -> None:
        self._db.add(
            OAuthCodeRow(
                id=code.id,
                code_hash=code.code_hash,
                app_id=code.app_id,
                user_id=code.user_id,
                redirect_uri=code.redirect_uri,
                scopes=_text(code.scopes),
                code_challenge=code.code_challenge,
                created_at=code.created_at,
                expires_at=code.expires_at,
                used_at=code.used_at,
            )
        )
        await self._db.flush()

    async def claim_code(self, code_hash: bytes, at: datetime) -> AuthorizationCode | None:
        # One UPDATE … WHERE used_at IS NULL: of two concurrent claims, exactly one wins.
        table = OAuthCodeRow.__table__
        result = await self._db.execute(
            update(OAuthCodeRow)
            .where(OAuthCodeRow.code_hash == code_hash, OAuthCodeRow.used_at.is_(None))
            .values(used_at=at)
            .returning(*table.columns)
        )
        row = result.first()
        if row is None:
            return None
        return AuthorizationCode(
            id=row.id,
            code_hash=row.code_hash,
            app_id=row.app_id,
            user_id=row.user_id,
            redirect_uri=row.redirect_uri,
            scopes=_scopes(row.scopes),
            created_at=row.created_at,
            expires_at=row.expires_at,
            code_challenge=row.code_challenge,
            used_at=None,
        )

    async def delete_expired_codes(self, before: datetime) -> int:
        result = await self._db.execute(
            delete(OAuthCodeRow).where(OAuthCodeRow.expires_at < before).returning(OAuthCodeRow.id)
        )
        return len(result.all())


def _app(row: OAuthAppRow) -> ClientApp:
    return ClientApp(
        id=row.id,
        name=row.name,
        website=row.website,
        redirect_uris=tuple(row.redirect_uris.splitlines()),
        scopes=_scopes(row.scopes),
        client_id=row.client_id,
        client_secret_hash=row.client_secret_hash,
        created_at=row.created_at,
    )


_GRANT = """
SELECT app_id, scopes, user_id, session_id FROM oauth_access_tokens
WHERE token_hash = $1 AND revoked_at IS NULL
"""


class AsyncpgAppTokenLookup:
    """See ``CachedAppTokenLookup`` for the cache in front of it."""

    def __init__(self, pool: ReadPool) -> None:
        self._pool = pool

    async def find_grant(self, token_hash: bytes) -> AppTokenGrant | None:
        rows = await self._pool.fetch(_GRANT, token_hash)
        return _grant(rows[0]) if rows else None

    def forget(self, token_hash: bytes) -> None:
        """Nothing is cached here."""


def _grant(row: Any) -> AppTokenGrant:
    return AppTokenGrant(app_id=row[0], scopes=_scopes(row[1]), user_id=row[2], session_id=row[3])
