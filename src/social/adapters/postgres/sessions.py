"""Sessions and refresh tokens in PostgreSQL; the atomic single-use claim lives here."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.account_tables import AuthSessionRow, RefreshTokenRow
from social.adapters.postgres.oauth_tables import OAuthAccessTokenRow
from social.domain.accounts.model import AuthSession, RefreshToken

__all__ = ["SqlaSessionRepository"]


class SqlaSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add_session(self, session: AuthSession) -> None:
        self._db.add(
            AuthSessionRow(
                id=session.id,
                user_id=session.user_id,
                created_at=session.created_at,
                revoked_at=session.revoked_at,
                revoke_reason=session.revoke_reason,
                user_agent=session.user_agent,
                ip=session.ip,
                last_used_at=session.last_used_at,
            )
        )
        await self._db.flush()

    async def get_session(self, session_id: UUID) -> AuthSession | None:
        row = await self._db.get(AuthSessionRow, session_id)
        return None if row is None else _session(row)

    async def add_refresh_token(self, token: RefreshToken) -> None:
        self._db.add(
            RefreshTokenRow(
                id=token.id,
                session_id=token.session_id,
                token_hash=token.token_hash,
                created_at=token.created_at,
                expires_at=token.expires_at,
                used_at=token.used_at,
            )
        )
        await self._db.flush()

    async def get_refresh_token(self, token_hash: bytes) -> RefreshToken | None:
        result = await self._db.execute(
            select(RefreshTokenRow).where(RefreshTokenRow.token_hash == token_hash)
        )
        row = result.scalar_one_or_none()
        if row is None:
            return None
        return RefreshToken(
            id=row.id,
            session_id=row.session_id,
            token_hash=row.token_hash,
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    async def claim_refresh_token(self, token_id: UUID, at: datetime) -> bool:
        # One UPDATE … WHERE used_at IS NULL: of two concurrent claims, exactly one wins.
        result = await self._db.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.id == token_id, RefreshTokenRow.used_at.is_(None))
            .values(used_at=at)
            .returning(RefreshTokenRow.id)
        )
        return result.first() is not None

    async def revoke_session(self, session_id: UUID, at: datetime, reason: str) -> None:
        await self._db.execute(
            update(AuthSessionRow)
            .where(AuthSessionRow.id == session_id, AuthSessionRow.revoked_at.is_(None))
            .values(revoked_at=at, revoke_reason=reason)
        )

    async def revoke_user_sessions(
        self, user_id: UUID, at: datetime, reason: str, *, keep: UUID | None = None
    ) -> int:
        statement = update(AuthSessionRow).where(
            AuthSessionRow.user_id == user_id, AuthSessionRow.revoked_at.is_(None)
        )
        if keep is not None:
            statement = statement.where(AuthSessionRow.id != keep)
        result = await self._db.execute(
            statement.values(revoked_at=at, revoke_reason=reason).returning(AuthSessionRow.id)
        )
        return len(result.all())

    async def touch_session(self, session_id: UUID, at: datetime) -> None:
        await self._db.execute(
            update(AuthSessionRow).where(AuthSessionRow.id == session_id).values(last_used_at=at)
        )

    async def live_sessions(self, user_id: UUID, now: datetime, *, limit: int) -> list[AuthSession]:
        unexpired = exists().where(
            RefreshTokenRow.session_id == AuthSessionRow.id, RefreshTokenRow.expires_at > now
        )
        rows = await self._db.scalars(
            select(AuthSessionRow)
            .where(AuthSessionRow.user_id == user_id, AuthSessionRow.revoked_at.is_(None))
            .where(or_(unexpired, _app_token_held()))
            .order_by(AuthSessionRow.created_at.desc(), AuthSessionRow.id.desc())
            .limit(limit)
        )
        return [_session(row) for row in rows]

    async def delete_expired(self, before: datetime) -> int:
        result = await self._db.execute(
            delete(RefreshTokenRow)
            .where(RefreshTokenRow.expires_at < before)
            .returning(RefreshTokenRow.id)
        )
        removed = len(result.all())
        has_tokens = exists().where(RefreshTokenRow.session_id == AuthSessionRow.id)
        app_session = AuthSessionRow.revoked_at.is_(None) & _app_token_held()
        await self._db.execute(
            delete(AuthSessionRow).where(
                AuthSessionRow.created_at < before, ~has_tokens, ~app_session
            )
        )
        return removed


def _app_token_held() -> ColumnElement[bool]:
    """The session holds a live app access token: it has no refresh token and does not
    expire (an OAuth token is long-lived), so it stands until it is revoked."""
    return exists().where(
        OAuthAccessTokenRow.session_id == AuthSessionRow.id,
        OAuthAccessTokenRow.revoked_at.is_(None),
    )


def _session(row: AuthSessionRow) -> AuthSession:
    return AuthSession(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        revoke_reason=row.revoke_reason,
        user_agent=row.user_agent,
        ip=row.ip,
        last_used_at=row.last_used_at,
    )
